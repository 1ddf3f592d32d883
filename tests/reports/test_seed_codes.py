"""Every figure the built-in template prints and every record appendix reads is an indicator
some app registers: a renamed code fails here, not as a "figure not available" marker in a
report sent to the delegation."""

import re

from giamsat.indicators.registry import REGISTRY
from giamsat.reports.appendices import RECORD_APPENDIX_CODES
from giamsat.reports.seed_templates import BUILTIN_TEMPLATES, SEED_FIGURE_CODES

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")


def test_seed_figure_codes_are_registered():
    missing = [code for code in SEED_FIGURE_CODES if code not in REGISTRY]
    assert not missing, missing


def test_every_placeholder_of_the_builtin_templates_is_registered():
    for template in BUILTIN_TEMPLATES:
        texts = [template["subject"], *(section["text"] for section in template["sections"])]
        codes = {
            code
            for text in texts
            for code in PLACEHOLDER.findall(text)
            if not code.startswith("report.")
        }
        assert codes, "the template prints no figure"
        missing = sorted(code for code in codes if code not in REGISTRY)
        assert not missing, (template["code"], missing)


def test_record_appendix_codes_are_registered():
    missing = [
        code for codes in RECORD_APPENDIX_CODES.values() for code in codes if code not in REGISTRY
    ]
    assert not missing, missing
