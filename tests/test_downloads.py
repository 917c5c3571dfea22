"""The bulk downloads (meetings/downloads.py): written after imports, listed at /data/ with
size, record count, date and SHA-256, each file complete or absent, never half-written."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from lxml import etree

from meetings import downloads, exporting
from meetings.models import Meeting, Utterance
from tests import real_pages

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).parent / "schemas" / "parlamint" / "ParlaMint-TEI.rng"
SITE = "https://meetings.example"
WRITTEN = (downloads.MEETINGS_JSONL, downloads.TURNS_CSV, downloads.TEI_ZIP)


@pytest.fixture(scope="module", autouse=True)
def pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), real_pages.imported() as summary:
        yield summary


@pytest.fixture
def data_dir(tmp_path, settings) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.SITE_URL = SITE
    return settings.DATA_DIR


def test_a_new_install_lists_no_downloads_and_no_error(client, data_dir):
    response = client.get("/data/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select("main table")
    assert "No downloads yet" in page.select_one("main").get_text()
    assert client.get("/data/meetings.jsonl.gz").status_code == 404


def test_regenerate_writes_each_file_with_its_manifest_entry(data_dir):
    files = downloads.regenerate()
    assert [f.name for f in files] == ["meetings.jsonl.gz", "turns.csv.gz", "tei-corpus.zip"]
    assert downloads.read_manifest() == files
    for entry in files:
        content = (data_dir / entry.name).read_bytes()
        assert entry.size == len(content)
        assert entry.sha256 == hashlib.sha256(content).hexdigest()
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(".")]  # no temp left


def test_the_meetings_file_is_the_export_format_of_every_meeting(data_dir):
    (entry, *_) = downloads.regenerate()
    with gzip.open(data_dir / entry.name, "rt", encoding="utf-8") as lines:
        written = [json.loads(line) for line in lines]
    assert entry.records == len(written) == Meeting.objects.count()
    expected = [
        json.loads(line)
        for line in exporting.iter_jsonl(page_url=lambda m: f"{SITE}{m.get_absolute_url()}")
    ]
    assert written == expected
    assert written[0]["page"].startswith(f"{SITE}/meetings/")


def test_the_turns_file_has_a_row_per_utterance(data_dir):
    turns = downloads.regenerate()[1]
    with gzip.open(data_dir / turns.name, "rt", encoding="utf-8-sig") as text:
        rows = list(csv.DictReader(text))
    assert turns.records == len(rows) == Utterance.objects.count()
    assert set(rows[0]) == set(exporting.TURN_FIELDS)
    pairs = {(int(r["meeting_id"]), r["language"], int(r["position"])) for r in rows}
    assert pairs == set(
        Utterance.objects.values_list("meeting__kremlin_id", "meeting__language", "position")
    )


def test_the_turns_file_is_the_turn_export_of_every_utterance(data_dir):
    turns = downloads.regenerate()[1]
    with gzip.open(data_dir / turns.name, "rt", encoding="utf-8", newline="") as text:
        written = text.read()
    ordered = Utterance.objects.order_by(
        "meeting__date", "meeting__kremlin_id", "meeting__language", "position"
    )
    expected = "".join(
        exporting.iter_turns_csv(ordered, page_url=lambda u: f"{SITE}{u.get_absolute_url()}")
    )
    assert written == expected
    assert f"{SITE}/meetings/" in written


def test_the_tei_zip_holds_a_valid_file_per_meeting_and_the_corpus_root(data_dir):
    archive = downloads.regenerate()[2]
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    with zipfile.ZipFile(data_dir / archive.name) as zipped:
        names = zipped.namelist()
        members = [n for n in names if not n.endswith("/KremlinMeetings.xml")]
        assert archive.records == len(members) == Meeting.objects.count()
        for name in members[:5]:
            assert schema.validate(etree.fromstring(zipped.read(name))), schema.error_log
        root = etree.fromstring(zipped.read("KremlinMeetings/KremlinMeetings.xml"))
    hrefs = {i.get("href") for i in root.iter("{http://www.w3.org/2001/XInclude}include")}
    assert {f"KremlinMeetings/{h}" for h in hrefs} == set(members)


def test_the_data_page_lists_the_files_and_serves_them(client, data_dir):
    files = downloads.regenerate()
    page = BeautifulSoup(client.get("/data/").content, "html.parser")
    rows = page.select("main table tbody tr")
    assert [r.select_one("th a").get_text() for r in rows] == [f.name for f in files]
    cells = rows[0].find_all("td")
    assert cells[1].get_text() == str(files[0].records)
    assert cells[-1].get_text() == files[0].sha256
    response = client.get(rows[0].select_one("th a")["href"])
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == files[0].sha256
    assert client.get("/data/manifest.json").status_code == 404  # only what the manifest lists
    assert client.get("/data/..%2Fsecret").status_code == 404


def test_a_failed_write_keeps_the_previous_files(data_dir, monkeypatch):
    downloads.regenerate()
    before = {name: (data_dir / name).read_bytes() for name in WRITTEN}
    real = exporting.meeting_line
    lines: list[str] = []

    def broken(meeting, **kwargs):
        if lines:  # the second meeting: the files are half written
            raise RuntimeError("the database went away")
        lines.append(real(meeting, **kwargs))
        return lines[-1]

    monkeypatch.setattr(downloads.exporting, "meeting_line", broken)
    with pytest.raises(RuntimeError):
        downloads.regenerate()
    assert lines
    assert {name: (data_dir / name).read_bytes() for name in WRITTEN} == before
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(".")]


def test_a_failed_write_in_the_compressing_thread_keeps_the_previous_files(data_dir, monkeypatch):
    downloads.regenerate()
    before = {name: (data_dir / name).read_bytes() for name in WRITTEN}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(downloads.zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(OSError, match="No space left"):
        downloads.regenerate()
    assert {name: (data_dir / name).read_bytes() for name in WRITTEN} == before
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(".")]


def test_an_import_that_changed_data_regenerates_unless_asked_not_to(data_dir):
    out = io.StringIO()
    call_command(
        "import_meetings",
        str(real_pages.ENGLISH[0]),
        "--take-source",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert not (data_dir / downloads.MANIFEST).exists()  # unchanged page: nothing to redo
    Meeting.objects.filter(kremlin_id=real_pages.RUSSIAN_ID).delete()  # imported anew
    call_command(
        "import_meetings",
        str(real_pages.RUSSIAN_SEED),
        "--no-downloads",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert not (data_dir / downloads.MANIFEST).exists()
    Meeting.objects.filter(kremlin_id=real_pages.RUSSIAN_ID).delete()
    call_command("import_meetings", str(real_pages.RUSSIAN_SEED), stdout=out, stderr=io.StringIO())
    assert [f.name for f in downloads.read_manifest()] == [
        "meetings.jsonl.gz",
        "turns.csv.gz",
        "tei-corpus.zip",
    ]
