"""Real saved pages imported once per test module (President of Russia, kremlin.ru,
CC BY 4.0): every English event page in tests/fixtures/pages and the Russian text version
of the 2022 Putin–Tokayev meeting (67748, Russian only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from meetings.importer import run
from meetings.models import (
    BilingualDifference,
    Country,
    CoveredDay,
    ImportRun,
    Meeting,
    Participant,
    SourceCheck,
    Supplement,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"
ENGLISH = sorted(p for p in PAGES.glob("en-*.html") if not p.name.startswith("en-print-"))
RUSSIAN_SEED = PAGES / "ru-copy-677488171.txt"
RUSSIAN_ID = 67748


@contextmanager
def imported(paths: list[Path] | None = None) -> Iterator[run.Summary]:
    """Import ``paths`` (the English pages and the Russian seed by default), and leave the
    database as found afterwards."""
    countries = set(Country.objects.values_list("code", flat=True))
    summary = run.import_paths(paths or [*ENGLISH, RUSSIAN_SEED], workers=1)
    assert summary.failed == 0, summary.failures
    try:
        yield summary
    finally:
        clear_archive(countries)


def clear_archive(countries: set[str]) -> None:
    """Delete everything an import writes (the countries but ``countries``, which the
    migrations load), so a module's committed import does not leak into later modules."""
    CoveredDay.objects.all().delete()
    BilingualDifference.objects.all().delete()
    SourceCheck.objects.all().delete()
    Supplement.objects.all().delete()
    Meeting.objects.all().delete()
    Participant.objects.all().delete()
    ImportRun.objects.all().delete()
    Country.objects.exclude(code__in=countries).delete()
