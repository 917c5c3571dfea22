"""The bulk downloads listed at ``/data/``: every meeting in the export format (gzipped
JSON Lines), every turn as CSV, and the TEI corpus as a zip.

Regenerated after an import that changed data (``import_meetings`` calls
:func:`regenerate` at its end; ``manage.py regenerate_downloads`` does it by hand), never
in a request. The three files are written in one pass over the meetings, read from the
database in chunks (``exporting``'s rows, ``tei``'s documents), each into a temporary file
beside its final name and renamed over it when complete, so a reader never sees half a
file and memory stays flat however large the archive is.
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
import queue
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db import reset_queries
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from meetings import exporting, tei
from meetings.models import Country, Meeting, Participant, Utterance

MANIFEST = "manifest.json"
MEETINGS_JSONL = "meetings.jsonl.gz"
TURNS_CSV = "turns.csv.gz"
TEI_ZIP = "tei-corpus.zip"
_B = TypeVar("_B", bound="_Behind")
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


@contextmanager
def _gzipped(path: Path) -> Iterator[tuple[gzip.GzipFile, _Hashing]]:
    """A gzip stream into ``path`` (atomically) and the hashing counter of its bytes, which
    holds the file's size and SHA-256 once the stream is closed."""
    with _atomic(path) as raw:
        hashing = _Hashing(raw)
        with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0, compresslevel=6) as out:
            yield out, hashing


@contextmanager
def _zipped(path: Path) -> Iterator[tuple[zipfile.ZipFile, _Hashing]]:
    """A zip archive into ``path`` (atomically), each member compressed as it is written."""
    with _atomic(path) as raw:
        hashing = _Hashing(raw)
        with zipfile.ZipFile(hashing, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            yield archive, hashing


_DONE = object()


class _Behind:
    """Hands each item to ``write`` in a thread of its own, in order: zlib, zipfile's CRC and
    hashlib let go of the GIL while they work, so compressing and hashing the files runs on
    the second core while this one reads and formats the rows (byte-for-byte the same
    files). The queue is short, so memory stays bounded; the thread's error is raised here,
    at the next ``put`` or at ``close``."""

    def __init__(self, write: Callable[[Any], Any], depth: int = 4):
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="downloads-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is None:  # after an error, drain so that put() never blocks
                try:
                    self._write(item)
                except BaseException as exc:  # raised in the caller's thread
                    self._error = exc

    def put(self, item: Any) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def stop(self) -> None:
        """Wait for the thread to end, without writing what is still buffered."""
        self._queue.put(_DONE)
        self._thread.join()

    def close(self) -> None:
        self.stop()
        if self._error is not None:
            raise self._error


class _BehindBytes(_Behind):
    """A ``_Behind`` for a byte stream, handed over 256 KB at a time (small pieces
    would cost more in switching threads than the compression they move)."""

    BUFFER = 1 << 18

    def __init__(self, write: Callable[[bytes], Any]):
        super().__init__(write)
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self.BUFFER:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._parts:
            self.put(b"".join(self._parts))
            self._parts, self._size = [], 0

    def close(self) -> None:
        self._hand_over()
        super().close()


@contextmanager
def _behind(worker: _B) -> Iterator[_B]:
    """``worker`` closed (everything written) on the way out; on an error, stopped first
    so that nothing writes to the files being thrown away."""
    try:
        yield worker
    except BaseException:
        worker.stop()
        raise
    worker.close()


# Stand-ins reversed once; each row's address is the template filled in. The same address
# as ``get_absolute_url()``, without one ``reverse()`` per meeting and per turn: at 100,000
# meetings and 300,000 turns those calls alone took a minute.
_LANGUAGE, _EVENT, _POSITION = "language0stand0in", 918273645, 564738291


def _template(base_url: str, view: str, *args: Any) -> str:
    path = reverse(view, args=args).replace("{", "{{").replace("}", "}}")
    for arg, field in zip(args, ("language", "kremlin_id", "position"), strict=False):
        if path.count(str(arg)) != 1:
            raise ValueError(f"{view}: cannot make a template of {path}")
        path = path.replace(str(arg), f"{{{field}}}")
    return base_url.rstrip("/").replace("{", "{{").replace("}", "}}") + path


def _meeting_url(base_url: str) -> Callable[[Meeting], str]:
    template = _template(base_url, "meetings:meeting_detail", _LANGUAGE, _EVENT)
    return lambda m: template.format(language=m.language, kremlin_id=m.kremlin_id)


def _known(address: str) -> Callable[[Meeting], str]:
    return lambda _: address


def _turn_url(base_url: str) -> Callable[[Utterance], str]:
    template = _template(base_url, "meetings:utterance_detail", _LANGUAGE, _EVENT, _POSITION)
    return lambda u: template.format(
        language=u.meeting.language, kremlin_id=u.meeting.kremlin_id, position=u.position
    )


def _meetings():
    # The stored search vector (title, lead and whole transcript) is the largest column and
    # nothing here reads it: fetched per row it tripled the writers' peak memory.
    return Meeting.objects.defer("search_document")


def write_files(directory: Path, base_url: str) -> list[DataFile]:
    """The three files in one pass over the meetings, in export order (date, event id,
    language), each with everything the files read prefetched a chunk at a time: the
    meeting's JSON line, its turns' CSV rows (the turns file's order is the meetings' and
    then the turns' position, so it follows the same pass) and its TEI document. Reading
    the archive once instead of three times is what keeps a regeneration of 100,000
    meetings within minutes.

    The TEI corpus is ``KremlinMeetings.xml`` (the ``teiCorpus`` root with the people and
    countries), written last, and one file per meeting."""
    meeting_url = _meeting_url(base_url)
    today = timezone.now().date()
    by_code = {country.code: country for country in Country.objects.all()}
    records = turns = 0
    turns_csv = exporting.TurnsCsv(page_url=_turn_url(base_url))
    archive_folder = f"{tei.CORPUS_ID}/"
    write_member = _member_writer(archive_folder)
    with (
        _gzipped(directory / MEETINGS_JSONL) as (lines_gz, lines_file),
        _gzipped(directory / TURNS_CSV) as (rows_gz, rows_file),
        _zipped(directory / TEI_ZIP) as (archive, archive_file),
    ):
        with (
            _behind(_BehindBytes(lines_gz.write)) as lines,
            _behind(_BehindBytes(rows_gz.write)) as rows,
            _behind(_Behind(lambda member: write_member(archive, *member))) as documents,
        ):
            rows.write(turns_csv.header().encode("utf-8"))
            meetings = exporting.export_queryset(_meetings())
            for records, meeting in enumerate(meetings.iterator(chunk_size=CHUNK), start=1):
                if records % CHUNK == 0:
                    reset_queries()  # with DEBUG on, the log of every query would grow all along
                page = meeting_url(meeting)
                line = exporting.meeting_line(meeting, page_url=_known(page))
                lines.write(line.encode("utf-8"))
                spoken = exporting.related(meeting, "utterances")
                rows.write(turns_csv.rows(spoken).encode("utf-8"))
                turns += len(spoken)
                document = tei.meeting_tei(meeting, page_url=page, today=today, countries=by_code)
                documents.put((tei.file_name(meeting), document))
        # Every meeting's file is in the archive (the writers are done): their names are
        # read back from it rather than kept a second time.
        names = (info.filename.removeprefix(archive_folder) for info in archive.filelist)
        people = Participant.objects.order_by("id").defer("aliases").iterator(chunk_size=2000)
        countries = sorted(by_code.values(), key=lambda country: country.code)
        root = tei.corpus_root(names, people, countries, today=today)
        write_member(archive, f"{tei.CORPUS_ID}.xml", root)
    return [
        _entry(
            MEETINGS_JSONL,
            gettext_noop("Every meeting in the export format, one JSON object a line (gzip)."),
            records,
            lines_file,
            "application/gzip",
        ),
        _entry(
            TURNS_CSV,
            gettext_noop("Every utterance, one CSV row each (gzip)."),
            turns,
            rows_file,
            "application/gzip",
        ),
        _entry(
            TEI_ZIP,
            gettext_noop(
                "The ParlaMint-style TEI corpus: a teiCorpus root and one file per meeting (zip)."
            ),
            records,
            archive_file,
            "application/zip",
        ),
    ]


def _member_writer(folder: str) -> Callable[[zipfile.ZipFile, str, bytes], None]:
    """Writes a member ``folder + name``, compressed, as ``writestr(name, …)`` would, but
    with one timestamp for all: the archive keeps every member's entry until it closes, and
    a time tuple each was a tenth of that at 100,000 members."""
    stamp = time.localtime()[:6]

    def write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(folder + name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # as writestr() gives a member named by a string
        archive.writestr(info, data)

    return write


def _entry(name, description, records, written: _Hashing, media_type) -> DataFile:
    return DataFile(
        name=name,
        description=description,
        records=records,
        size=written.size,
        sha256=written.sha256.hexdigest(),
        generated=timezone.now().replace(microsecond=0).isoformat(),
        media_type=media_type,
    )


def regenerate(
    *, base_url: str | None = None, directory: Path | None = None, progress=None
) -> list[DataFile]:
    """Write every bulk file and then the manifest; returns the manifest's entries.
    ``base_url`` is the site's address for the ``page`` links (``SITE_URL``)."""
    directory = directory or data_dir()
    base_url = settings.SITE_URL if base_url is None else base_url
    files = write_files(directory, base_url)
    for entry in files:
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
