"""The roster benchmark runs end to end on a small roster and leaves nothing behind."""

from io import StringIO

from django.core.management import call_command

from giamsat.people.models import Person
from giamsat.units.models import Unit


def test_the_benchmark_prints_rows_per_second_and_memory(db):
    out = StringIO()
    call_command("bench_roster_import", rows=120, per_cell=40, format="csv", stdout=out)
    text = out.getvalue()
    assert "preview (all new)" in text
    assert "preview again (all unchanged)" in text
    assert "rows/s" in text
    assert "peak memory" in text
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 0
