"""RU/EN differences (issue 18): turns in one version only and pairs of far-off length,
flagged on the side-by-side page, counted per event, listed on ``/differences/``.

The pairs are BUILT from real pages: no real pair of versions is in the corpus. The
English page is the real en.kremlin.ru page en-51266.html; its Russian counterpart
ru-51266.html is the same page with a Russian text written for the tests
(tests/fixtures/pages-bilingual/make_synthetic.py), which lacks two of the English turns;
:func:`shortened_russian` builds from it a Russian version whose long turn by Seehofer
keeps only its first two paragraphs, as a version that left a passage out would.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from meetings import differences
from meetings.bilingual import Pair
from meetings.models.versions import BilingualDifference

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH = FIXTURES / "pages" / "en-51266.html"
RUSSIAN = FIXTURES / "pages-bilingual" / "ru-51266.html"
SEED = FIXTURES / "pages" / "ru-copy-677488171.txt"  # a Russian-only event

pytestmark = pytest.mark.django_db


def shortened_russian(tmp_path: Path) -> Path:
    """ru-51266.html with Seehofer's long turn cut to its first two paragraphs (built)."""
    html = RUSSIAN.read_text(encoding="utf-8")
    cut, count = re.subn(
        r"(<p><b>Х\.Зеехофер</b>: Мы приехали из[^<]*</p>\n<p>(?!<b>)[^\n]*</p>\n)"
        r"(?:<p>(?!<b>)[^\n]*</p>\n)+",
        r"\1",
        html,
    )
    assert count == 1
    path = tmp_path / "ru-51266.html"
    path.write_text(cut, encoding="utf-8")
    return path


def imported(*paths: Path) -> None:
    call_command("import_meetings", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())


def flag_of(row) -> str:
    return next(c.removeprefix("diff--") for c in row["class"] if c.startswith("diff--"))


def compare(client) -> BeautifulSoup:
    response = client.get(reverse("meetings:meeting_compare", args=[51266]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_turns_in_one_version_only_are_flagged_in_place_and_counted(client):
    imported(ENGLISH, RUSSIAN)
    soup = compare(client)
    flagged = soup.select("li.compare__row--flagged")
    assert [flag_of(row) for row in flagged] == ["only_en", "only_en"]
    for row in flagged:
        assert row.select_one(".diff__flag").get_text(" ", strip=True) == (
            "Difference This turn is only in the English version."
        )
        assert row.select_one(".compare__cell--gap") is not None
    summary = soup.select_one(".diff__counts").get_text(" ", strip=True)
    assert "0 only in Russian, 2 only in English, 0 of very uneven length." in summary


def test_a_much_shorter_turn_is_flagged(client, tmp_path):
    imported(ENGLISH, shortened_russian(tmp_path))
    soup = compare(client)
    (row,) = soup.select("li.compare__row.diff--shorter_ru")
    russian = row.select_one('article[lang="ru"] .compare__text').get_text()
    assert russian.strip().startswith("Мы приехали из свободного государства Бавария")
    assert "much shorter" in row.select_one(".diff__flag").get_text()
    kept = BilingualDifference.objects.get(kremlin_id=51266)
    assert (kept.only_ru, kept.only_en, kept.uneven) == (0, 2, 1)


def test_a_faithful_pair_flags_no_length(client):
    imported(ENGLISH, RUSSIAN)
    soup = compare(client)
    assert [flag_of(row) for row in soup.select("li.compare__row--flagged")] == ["only_en"] * 2


def test_differences_lists_events_with_differences_only(client, tmp_path):
    imported(ENGLISH, shortened_russian(tmp_path), SEED)
    response = client.get(reverse("meetings:differences"))
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select(".diff__table tbody tr")
    assert [row["data-kremlin-id"] for row in rows] == ["51266"]
    cells = [td.get_text() for td in rows[0].select("td.num")]
    assert cells[:3] == ["0", "2", "1"]
    assert rows[0].find("a")["href"] == reverse("meetings:meeting_compare", args=[51266])


def test_counts_follow_a_reimport(tmp_path):
    imported(ENGLISH, RUSSIAN)
    assert BilingualDifference.objects.get(kremlin_id=51266).uneven == 0
    imported(shortened_russian(tmp_path))
    assert BilingualDifference.objects.get(kremlin_id=51266).uneven == 1


def test_calibration_is_the_median_and_mad_of_the_pairs():
    ratios = [-0.1, -0.12, -0.08, -0.1, -0.11, -0.09, -0.1, -0.13, 2.0]
    calibration = differences.calibrate(ratios)
    assert calibration.centre == pytest.approx(-0.1)
    assert calibration.spread == differences.MIN_SPREAD  # a tight event: the floor
    assert differences.calibrate(ratios[:3]) == differences.DEFAULT


def test_flags_judge_each_pair_against_the_events_usual_ratio():
    # Lengths (ru, en): English about 0.8 of Russian, as in this event; one English turn
    # a fifth of its Russian; one pair of short turns; one gap on each side.
    lengths = [(500, 400), (300, 240), (420, 330), (250, 205), (600, 470), (350, 280)]
    lengths += [(380, 300), (450, 365), (500, 100), (12, 3)]
    pairs = [Pair(ru, en) for ru, en in lengths] + [Pair(200, None), Pair(None, 150)]
    flags, calibration = differences.flags(pairs, lambda n: n)
    assert calibration.pairs == 9
    assert flags == [None] * 8 + [differences.SHORTER_EN, None] + [
        differences.ONLY_RU,
        differences.ONLY_EN,
    ]
    assert differences.counts(flags) == {"only_ru": 1, "only_en": 1, "uneven": 1}
