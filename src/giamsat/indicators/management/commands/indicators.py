"""``giamsat indicators --unit UNIT --from DATE --to DATE [--code CODE] [--json]``.

UNIT is an id, a unit code, or a name fragment matched without diacritics ("truong thi").
An ambiguous fragment lists the candidates and exits with status 2; an unknown unit, code or
date exits with status 1. ``--json`` prints a list of objects with at least ``code``,
``label``, ``value`` and ``unit_of_measure`` (plus ``numerator``/``denominator`` for rates).
The command reads as an operator with database access: every registered indicator is shown.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from giamsat.core.dates import parse_date
from giamsat.core.text import search_key
from giamsat.directives.models import Directive
from giamsat.indicators import reading
from giamsat.indicators.registry import IndicatorQuery
from giamsat.units.models import Unit

AMBIGUOUS = 2


class Command(BaseCommand):
    help = "Print the figures (indicators) of a unit for a period."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="id, code or name fragment")
        parser.add_argument("--from", dest="start", required=True, help="dd/mm/yyyy or yyyy-mm-dd")
        parser.add_argument("--to", dest="end", required=True, help="dd/mm/yyyy or yyyy-mm-dd")
        parser.add_argument(
            "--code", action="append", default=[], help="indicator code or prefix (repeatable)"
        )
        parser.add_argument(
            "--directive",
            action="append",
            default=[],
            help="only figures about this directive: id or symbol, e.g. 03-KH/TW (repeatable)",
        )
        parser.add_argument("--by-child", action="store_true", help="also break down by child unit")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        try:
            start, end = parse_date(options["start"]), parse_date(options["end"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if start > end:
            raise CommandError("--from is after --to")
        unit = self.resolve_unit(options["unit"], end)
        directive_ids = frozenset(self.resolve_directive(d) for d in options["directive"])
        query = IndicatorQuery(unit, start, end, directive_ids)
        chosen = reading.visible_indicators(None, unit, options["code"] or None)
        if options["code"] and not chosen:
            raise CommandError(f"no indicator matches {', '.join(options['code'])}")
        data = reading.values(query, chosen)
        children = reading.child_units(unit, query) if options["by_child"] else []
        if children:
            by_code = {i.code: i for i in chosen}
            for item in data:
                item["by_child"] = [
                    {"unit_id": row["unit"].pk, "unit": row["unit"].name, **_plain(row)}
                    for row in reading.breakdown_rows(by_code[item["code"]], query, children)
                ]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.print_table(unit, query, data)

    def resolve_unit(self, text: str, day) -> Unit:
        text = text.strip()
        if text.isdigit():
            unit = Unit.objects.filter(pk=int(text)).first()
            if unit is None:
                raise CommandError(f"no unit has the id {text}")
            return unit
        by_code = Unit.objects.filter(code__iexact=text).first()
        if by_code is not None:
            return by_code
        key = search_key(text)
        candidates = list(Unit.objects.filter(name_search__contains=key).order_vi()[:51])
        exact = [u for u in candidates if u.name_search == key]
        if len(exact) == 1:
            return exact[0]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise CommandError(f"no unit matches '{text}'")
        self.stderr.write(f"'{text}' matches several units; give the id or the code:")
        for unit in candidates[:50]:
            life = (
                f"{unit.valid_from:%d/%m/%Y}–{unit.valid_to:%d/%m/%Y}"
                if unit.valid_to
                else (f"{unit.valid_from:%d/%m/%Y}–")
            )
            self.stderr.write(f"  {unit.pk:>7}  {unit.code:<24} {unit.name}  ({life})")
        if len(candidates) > 50:
            self.stderr.write("  …")
        raise CommandError("ambiguous unit", returncode=AMBIGUOUS)

    def resolve_directive(self, text: str) -> int:
        text = text.strip()
        if text.isdigit() and Directive.objects.filter(pk=int(text)).exists():
            return int(text)
        found = list(Directive.objects.search(text)[:11])
        if len(found) == 1:
            return found[0].pk
        if not found:
            raise CommandError(f"no directive matches '{text}'")
        self.stderr.write(f"'{text}' matches several directives:")
        for d in found[:10]:
            self.stderr.write(f"  {d.pk:>7}  {d}")
        raise CommandError("ambiguous directive", returncode=AMBIGUOUS)

    def print_table(self, unit: Unit, query: IndicatorQuery, data: list[dict]) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=self.stdout, width=140)
        title = f"{unit.name} · {query.start:%d/%m/%Y}–{query.end:%d/%m/%Y}"
        table = Table(title=title)
        table.add_column("code")
        table.add_column("indicator")
        table.add_column("value", justify="right")
        table.add_column("unit of measure")
        for item in data:
            value = item["value"]
            text = f"{value:,}" if isinstance(value, int) else f"{value}"
            if item.get("denominator") is not None:
                text += f" ({item['numerator']:,}/{item['denominator']:,})"
            table.add_row(item["code"], item["label"], text, item["unit_of_measure"])
        console.print(table)
        for item in data:
            for row in item.get("by_child", []):
                console.print(f"  {item['code']}  {row['unit']}: {row['value']}")


def _plain(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "unit"}
