"""``giamsat report``: the official report of a unit for a period, as DOCX (and XLSX, PDF).

    giamsat report --unit "thanh hoa" --from 01/01/2019 --to 30/09/2022 \\
        --directive 04-NQ/TW --directive "03-KL/TƯ" --out bao-cao.docx [--xlsx phu-luc.xlsx] [--pdf]

UNIT is an id, a code, or a fragment of the name matched without diacritics; when it matches
several units they are listed and the command exits with status 2. Figures come live from
records (nothing is saved unless ``--save``); ``--report ID`` exports an existing report (a
signed report prints its frozen content).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from giamsat.core.dates import parse_date, today
from giamsat.reports.content import ReportSpec, Section, build_content, content_of
from giamsat.reports.documents import (
    ConversionUnavailableError,
    appendices_xlsx,
    convert,
    report_docx,
)
from giamsat.reports.lookup import UnitLookupError, resolve_directive, resolve_unit
from giamsat.reports.models import Report, ReportTemplate
from giamsat.reports.services import default_template, document_defaults, generate_report

USAGE_ERROR = 2


def _date(text: str, option: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}", returncode=USAGE_ERROR) from None


class Command(BaseCommand):
    help = "Write the report of a unit for a period as a DOCX in the party format (HD 36)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="id, code or name fragment (diacritics optional)")
        parser.add_argument("--from", dest="start", help="first day, dd/mm/yyyy")
        parser.add_argument("--to", dest="end", help="last day, dd/mm/yyyy")
        parser.add_argument(
            "--directive", action="append", default=[], help="number and symbol (repeatable)"
        )
        parser.add_argument("--template", help="report template code")
        parser.add_argument("--date", help="date of the document (default: today)")
        parser.add_argument("--signer", default="", help="name in the signature block")
        parser.add_argument("--report", type=int, help="export an existing report by id")
        parser.add_argument("--out", required=True, help="the DOCX file to write")
        parser.add_argument("--xlsx", help="also write the appendices as an XLSX file")
        parser.add_argument(
            "--pdf", nargs="?", const="", help="also write a PDF (next to --out by default)"
        )
        parser.add_argument("--save", action="store_true", help="save the draft in giamsat")

    def handle(self, *args, **options):
        if options["report"]:
            report = Report.objects.filter(pk=options["report"]).first()
            if report is None:
                raise CommandError(f"no report {options['report']}", returncode=USAGE_ERROR)
            content = content_of(report)
        else:
            content = self._generate(options)
        out = Path(options["out"])
        docx = report_docx(content)
        out.write_bytes(docx)
        self.stdout.write(f"{out} ({len(docx):,} bytes)")
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(appendices_xlsx(content))
            self.stdout.write(options["xlsx"])
        if options["pdf"] is not None:
            pdf_path = Path(options["pdf"] or out.with_suffix(".pdf"))
            try:
                pdf_path.write_bytes(convert(docx, "pdf"))
            except ConversionUnavailableError as exc:
                raise CommandError(f"no PDF: {exc}") from None
            self.stdout.write(str(pdf_path))
        missing = [f.code for f in content.figures.values() if not f.available]
        if missing:
            self.stderr.write("figures not available: " + ", ".join(missing))

    def _generate(self, options):
        for option in ("unit", "start", "end"):
            if not options[option]:
                name = {"start": "--from", "end": "--to"}.get(option, f"--{option}")
                raise CommandError(f"{name} is required", returncode=USAGE_ERROR)
        try:
            unit = resolve_unit(options["unit"])
            directives = [resolve_directive(text) for text in options["directive"]]
        except UnitLookupError as problem:
            for candidate in problem.candidates:
                label = getattr(candidate, "code", "") or getattr(candidate, "issued_on", "")
                self.stderr.write(f"  {candidate.pk}\t{label}\t{candidate}")
            raise CommandError(str(problem), returncode=USAGE_ERROR) from None
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if start > end:
            raise CommandError("--from is after --to", returncode=USAGE_ERROR)
        template = default_template()
        if options["template"]:
            template = ReportTemplate.objects.filter(code=options["template"]).first()
            if template is None:
                raise CommandError(f"no template {options['template']}", returncode=USAGE_ERROR)
        if options["save"]:
            with transaction.atomic():
                report = generate_report(
                    unit=unit,
                    start=start,
                    end=end,
                    directives=directives,
                    template=template,
                    acting_user=None,
                )
            self.stdout.write(f"saved draft report {report.pk}")
            return content_of(report)
        document_day = _date(options["date"], "--date") if options["date"] else today()
        spec = ReportSpec(
            unit=unit,
            start=start,
            end=end,
            directives=directives,
            sections=[Section(s.get("heading", ""), s.get("text", "")) for s in template.sections],
            appendix_codes=list(template.appendices),
            figure_codes=list(template.figure_codes),
            doc_title=template.doc_title,
            subject=template.subject,
            number=None,
            document_date=document_day,
            authority=template.authority,
            signer_title=template.signer_title,
            signer_name=options["signer"],
            recipients=[x.strip() for x in template.recipients.splitlines() if x.strip()],
            **document_defaults(unit, end),
        )
        return build_content(spec)
