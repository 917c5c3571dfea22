"""The data for researchers' own tools, outside the JSON API: one meeting as ParlaMint TEI,
and the bulk downloads' page (``/data/``) and files."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import downloads, exporting, tei
from meetings.models import Language, Meeting


def meeting_tei(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    """``/meetings/<lang>/<id>.tei.xml``: the meeting as a ParlaMint-style TEI document."""
    if language not in Language.values:
        raise Http404("No such language.")
    meeting = exporting.export_queryset(
        Meeting.objects.filter(language=language, kremlin_id=kremlin_id)
    ).first()
    if meeting is None:
        raise Http404("No such meeting.")
    page = request.build_absolute_uri(meeting.get_absolute_url())
    response = HttpResponse(
        tei.meeting_tei(meeting, page_url=page), content_type="application/tei+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{tei.file_name(meeting)}"'
    return response


def data_index(request: HttpRequest) -> HttpResponse:
    """``/data/``: the bulk files of the last regeneration (none before the first)."""
    return render(request, "meetings/data.html", {"files": downloads.read_manifest()})


def data_file(request: HttpRequest, name: str) -> FileResponse:
    """A bulk file, streamed from ``DATA_DIR`` (nginx serves these itself in production);
    only names the manifest lists."""
    listed = {entry.name: entry for entry in downloads.read_manifest()}
    entry = listed.get(name)
    path = Path(downloads.data_dir()) / name
    if entry is None or not path.is_file():
        raise Http404("No such file.")
    response = FileResponse(path.open("rb"), content_type=entry.media_type, as_attachment=True)
    response["Cache-Control"] = "public, max-age=3600"
    return response
