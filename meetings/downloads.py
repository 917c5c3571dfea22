"""The bulk downloads listed at ``/data/``: every meeting in the export format (gzipped
JSON Lines), every turn as CSV, and the TEI corpus as a zip.

Regenerated after an import that changed data (``import_meetings`` calls
:func:`regenerate` at its end; ``manage.py regenerate_downloads`` does it by hand), never
in a request. Each file is streamed from the database in chunks (``exporting``'s
iterators) into a temporary file beside its final name and renamed over it when complete,
so a reader never sees half a file and memory stays flat however large the archive is.
``manifest.json`` (size, record count, date, SHA-256 of each file) is written last, the
same way; the ``/data/`` page reads it, and a new install without it lists nothing. The
manifest's descriptions are English (marked with ``gettext_noop``); the page translates them.

Files live in ``settings.DATA_DIR``; nginx serves them in docker-compose.yml.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from meetings import exporting, tei
from meetings.models import Country, Meeting, Participant, Utterance

MANIFEST = "manifest.json"
MEETINGS_JSONL = "meetings.jsonl.gz"
TURNS_CSV = "turns.csv.gz"
TEI_ZIP = "tei-corpus.zip"
CHUNK = 200


@dataclass
class DataFile:
    name: str
    description: str
    records: int
    size: int
    sha256: str
    generated: str  # ISO 8601, UTC
    media_type: str


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def read_manifest(directory: Path | None = None) -> list[DataFile]:
    """The files of the last regeneration; none (an empty list) before the first."""
    path = (directory or data_dir()) / MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return []
    return [DataFile(**entry) for entry in entries]


@contextmanager
def _atomic(path: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside ``path``, renamed over it once written and flushed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Closed by the with below; kept past it so it can be renamed (delete=False).
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)  # noqa: SIM115
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class _Hashing(io.RawIOBase):
    """A write-only file that hashes and counts what passes through to ``target``."""

    def __init__(self, target: IO[bytes]):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha256.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


def _gzip_lines(path: Path, lines: Iterable[str]) -> tuple[int, int, str]:
    """``lines`` gzipped into ``path``: (lines written, bytes, SHA-256)."""
    count = 0
    with _atomic(path) as raw:
        hashing = _Hashing(raw)
        with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0, compresslevel=6) as out:
            for line in lines:
                out.write(line.encode("utf-8"))
                count += 1
    return count, hashing.size, hashing.sha256.hexdigest()


def _site(base_url: str) -> Callable[[Any], str]:
    return lambda row: f"{base_url.rstrip('/')}{row.get_absolute_url()}"


def _meetings():
    # The stored search vector (title, lead and whole transcript) is the largest column and
    # nothing here reads it: fetched per row it tripled the writers' peak memory.
    return Meeting.objects.defer("search_document")


def write_meetings(directory: Path, base_url: str) -> DataFile:
    records, size, digest = _gzip_lines(
        directory / MEETINGS_JSONL,
        exporting.iter_jsonl(_meetings(), page_url=_site(base_url), chunk_size=CHUNK),
    )
    return _entry(
        MEETINGS_JSONL,
        gettext_noop("Every meeting in the export format, one JSON object a line (gzip)."),
        records,
        size,
        digest,
        "application/gzip",
    )


def write_turns(directory: Path, base_url: str) -> DataFile:
    turns = Utterance.objects.defer("meeting__search_document").order_by(
        "meeting__date", "meeting__kremlin_id", "meeting__language", "position"
    )
    lines = exporting.iter_turns_csv(turns, page_url=_site(base_url), chunk_size=CHUNK * 10)
    records, size, digest = _gzip_lines(directory / TURNS_CSV, lines)
    return _entry(
        TURNS_CSV,
        gettext_noop("Every utterance, one CSV row each (gzip)."),
        records - 1,  # the header line
        size,
        digest,
        "application/gzip",
    )


def write_tei(directory: Path, base_url: str) -> DataFile:
    """The TEI corpus: ``KremlinMeetings.xml`` (the ``teiCorpus`` root with the people and
    countries) and one file per meeting, zipped (each member compressed as it is written)."""
    path = directory / TEI_ZIP
    names: list[str] = []
    today = timezone.now().date()
    with _atomic(path) as raw:
        hashing = _Hashing(raw)
        with zipfile.ZipFile(hashing, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            by_code = {country.code: country for country in Country.objects.all()}
            meetings = exporting.export_queryset(_meetings())
            for meeting in meetings.iterator(chunk_size=CHUNK):
                name = tei.file_name(meeting)
                page = f"{base_url.rstrip('/')}{meeting.get_absolute_url()}"
                archive.writestr(
                    f"KremlinMeetings/{name}",
                    tei.meeting_tei(meeting, page_url=page, today=today, countries=by_code),
                )
                names.append(name)
            people = Participant.objects.order_by("id").defer("aliases").iterator(chunk_size=2000)
            countries = sorted(by_code.values(), key=lambda country: country.code)
            root = tei.corpus_root(names, people, countries, today=today)
            archive.writestr("KremlinMeetings/KremlinMeetings.xml", root)
    return _entry(
        TEI_ZIP,
        gettext_noop(
            "The ParlaMint-style TEI corpus: a teiCorpus root and one file per meeting (zip)."
        ),
        len(names),
        hashing.size,
        hashing.sha256.hexdigest(),
        "application/zip",
    )


def _entry(name, description, records, size, digest, media_type) -> DataFile:
    return DataFile(
        name=name,
        description=description,
        records=records,
        size=size,
        sha256=digest,
        generated=timezone.now().replace(microsecond=0).isoformat(),
        media_type=media_type,
    )


WRITERS = (write_meetings, write_turns, write_tei)


def regenerate(
    *, base_url: str | None = None, directory: Path | None = None, progress=None
) -> list[DataFile]:
    """Write every bulk file and then the manifest; returns the manifest's entries.
    ``base_url`` is the site's address for the ``page`` links (``SITE_URL``)."""
    directory = directory or data_dir()
    base_url = settings.SITE_URL if base_url is None else base_url
    files = []
    for write in WRITERS:
        entry = write(directory, base_url)
        files.append(entry)
        if progress is not None:
            progress(entry)
    manifest = {"generated": timezone.now().isoformat(), "files": [asdict(f) for f in files]}
    with _atomic(directory / MANIFEST) as out:
        out.write(json.dumps(manifest, indent=2).encode("utf-8"))
    return files


def last_generated(directory: Path | None = None) -> dt.datetime | None:
    path = (directory or data_dir()) / MANIFEST
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    except FileNotFoundError:
        return None
