"""A meeting's transcript, one turn in context, and citations of a turn.

The transcript page colours speakers per meeting (``colors.MeetingPalette``), shows each
speaker's share of the words, highlights a speaker (``?speaker=<id>``, ``&only=1`` to
collapse the others) and marks the words of a search (``?hl=<words>``) with PostgreSQL's
``ts_headline`` in the meeting language's configuration, the stemming search itself uses.
Everything works without JavaScript; ``static/js/transcript.js`` only makes it instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from meetings import exporting
from meetings.colors import MeetingPalette, SpeakerColour
from meetings.languages import other_language
from meetings.models import Language, Meeting, Participant, UtteranceKind
from meetings.params import ascii_int, clean_text
from meetings.search import apply_marks
from meetings.web.exports import turns_export_response
from meetings.web.links import web_url

CONTEXT_TURNS = 3
HL_MAX_LENGTH = 200
CREDIT = "President of Russia, kremlin.ru, CC BY 4.0"


@dataclass
class LegendEntry:
    key: int | str  # participant id, or the printed label when unresolved
    label: str
    colour: SpeakerColour
    turns: int
    words: int
    participant: Participant | None
    share: int = 0  # per cent of the words spoken in the meeting

    @property
    def selectable(self) -> bool:
        return self.participant is not None


def _selected_speaker(request: HttpRequest) -> int | None:
    return ascii_int(request.GET.get("speaker"), max_digits=11)


def _highlight_words(request: HttpRequest) -> str:
    """The ``hl`` words without control characters (PostgreSQL refuses a NUL); a long query
    is cut, never refused."""
    return " ".join(clean_text(request.GET.get("hl")).split())[:HL_MAX_LENGTH]


def _dress_transcript(utterances, selected: int | None, palette: MeetingPalette | None = None):
    """Give each utterance its colour, highlight state and section break; build the legend
    (with each speaker's share of the words) and the table of contents. All in Python over
    the one list: no query per turn.

    Returns (legend, sections, selected): ``selected`` is None unless that participant
    speaks in this transcript, so a stale or foreign ``?speaker=`` dims nothing."""
    palette = MeetingPalette() if palette is None else palette
    legend: dict[int | str, LegendEntry] = {}
    sections: list[dict] = []
    current_section = None
    for utterance in utterances:
        key = utterance.speaker_id or utterance.speaker_label or None
        utterance.colour = palette.colour(
            key,
            question=utterance.kind == UtteranceKind.QUESTION,
            label=utterance.speaker_label,
        )
        utterance.speaker_key = key if utterance.speaker_label else None
        if utterance.speaker_label:
            speaker: int | str = utterance.speaker_id or utterance.speaker_label
            if speaker not in legend:
                label = (
                    utterance.speaker.display_name if utterance.speaker else utterance.speaker_label
                )
                legend[speaker] = LegendEntry(
                    speaker, label, utterance.colour, 0, 0, utterance.speaker
                )
            legend[speaker].turns += 1
            legend[speaker].words += utterance.word_count
        utterance.section_start = None
        if utterance.section and utterance.section != current_section:
            utterance.section_start = f"s-{len(sections) + 1}"
            sections.append({"title": utterance.section, "anchor": utterance.section_start})
        current_section = utterance.section
    total = sum(entry.words for entry in legend.values())
    for entry in legend.values():
        entry.share = round(100 * entry.words / total) if total else 0
    if selected not in legend or not legend[selected].selectable:
        selected = None
    for utterance in utterances:
        utterance.highlighted = selected is not None and utterance.speaker_id == selected
        utterance.dimmed = selected is not None and not utterance.highlighted
    return list(legend.values()), sections, selected


def _counterpart(meeting: Meeting) -> Meeting | None:
    if meeting.counterpart_id:
        return meeting.counterpart
    other = other_language(meeting.language)
    return Meeting.objects.filter(kremlin_id=meeting.kremlin_id, language=other).first()


def _get_meeting(language: str, kremlin_id: int, queryset=None) -> Meeting:
    if language not in Language.values:
        raise Http404("No such language.")
    queryset = Meeting.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset, language=language, kremlin_id=kremlin_id)


def _other_version_or_404(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    """A 404 that offers the other language's version when only that one was imported."""
    if language not in Language.values:
        raise Http404("No such language.")
    only = (
        Meeting.objects.filter(kremlin_id=kremlin_id, language=other_language(language))
        .defer("lead", "imported")
        .first()
    )
    if only is None:
        raise Http404("No meeting with this id.")
    return render(request, "meetings/meeting_other_version.html", {"only": only}, status=404)


def meeting_detail(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponseBase:
    if request.GET.get("format") == "json":
        return meeting_json(request, language, kremlin_id)
    if request.GET.get("format") == "turns.csv":
        meeting = _get_meeting(language, kremlin_id)
        return turns_export_response(
            request, meeting.utterances.order_by("position"), "csv", f"{language}-{kremlin_id}"
        )
    try:
        meeting = _get_meeting(language, kremlin_id, Meeting.objects.for_detail())
    except Http404:
        return _other_version_or_404(request, language, kremlin_id)
    words = _highlight_words(request)
    turns = meeting.utterances.for_transcript()
    utterances = list(turns.with_marks(words, meeting.language) if words else turns)
    legend, sections, selected = _dress_transcript(utterances, _selected_speaker(request))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "utterances": utterances,
            "legend": legend,
            "sections": sections,
            "selected_speaker": selected,
            "only_selected": selected is not None and request.GET.get("only") == "1",
            "highlight_words": words,
            "mark_count": apply_marks(utterances) if words else 0,
            "counterpart": _counterpart(meeting),
            "turn_count": sum(1 for u in utterances if u.speaker_label),
        },
    )


def meeting_json(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    """One meeting in the export schema (with its utterances) plus ``page`` and
    ``speakers`` (each speaker's turns and words)."""
    meeting = _get_meeting(language, kremlin_id, exporting.export_queryset())
    record = exporting.meeting_to_dict(
        meeting, page_url=lambda m: request.build_absolute_uri(m.get_absolute_url())
    )
    record["speakers"] = exporting.speaker_words(meeting)
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})


# One turn in context, and its citation ---------------------------------------------------


def _get_turn(language: str, kremlin_id: int, position: int):
    """The meeting, the turn at ``position`` and the turns around it (dressed)."""
    meeting = _get_meeting(language, kremlin_id)
    # The colours follow the whole meeting's order of first turns, so a speaker has the same
    # colour here as on the meeting page: the keys of the turns before, in one small query.
    earlier = (
        meeting.utterances.filter(position__lt=position - CONTEXT_TURNS)
        .exclude(speaker_label="")
        .order_by("position")
        .values_list("speaker_id", "speaker_label", "kind")
    )
    around = list(
        meeting.utterances.for_transcript().filter(
            position__gte=position - CONTEXT_TURNS, position__lte=position + CONTEXT_TURNS
        )
    )
    utterance = next((u for u in around if u.position == position), None)
    if utterance is None:
        raise Http404("No such utterance.")
    palette = MeetingPalette()
    for speaker_id, label, kind in earlier:
        palette.colour(speaker_id or label, question=kind == UtteranceKind.QUESTION, label=label)
    _dress_transcript(around, None, palette)
    utterance.highlighted = True
    return meeting, utterance, around


def citation(request: HttpRequest, meeting: Meeting, utterance) -> dict[str, str]:
    """What a citation of one turn says, as plain strings."""
    speaker = utterance.speaker.display_name if utterance.speaker else utterance.speaker_label
    return {
        "key": f"kremlin-{meeting.language}-{meeting.kremlin_id}-{utterance.position}",
        "speaker": speaker,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "source": web_url(meeting.source_url),
        "permalink": request.build_absolute_uri(utterance.get_absolute_url()),
        "language": meeting.language,
        "position": str(utterance.position),
        "credit": CREDIT,
    }


def utterance_detail(
    request: HttpRequest, language: str, kremlin_id: int, position: int
) -> HttpResponse:
    meeting, utterance, around = _get_turn(language, kremlin_id, position)
    return render(
        request,
        "meetings/utterance_detail.html",
        {
            "meeting": meeting,
            "utterance": utterance,
            "utterances": around,
            # The turn itself first, then what came before and after it.
            "before": [u for u in around if u.position < utterance.position],
            "after": [u for u in around if u.position > utterance.position],
            "cite": citation(request, meeting, utterance),
        },
    )


_BIBTEX_SPECIAL = re.compile(r"([\\{}$&%#_^~])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: str) -> str:
    """A value safe inside BibTeX braces: LaTeX's special characters escaped, one line."""
    value = " ".join(value.split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), value)


def _ris_value(value: str) -> str:
    return " ".join(value.split())  # a RIS field ends at the line's end


def cite_bibtex(request: HttpRequest, language: str, kremlin_id: int, position: int):
    meeting, utterance, _around = _get_turn(language, kremlin_id, position)
    cite = citation(request, meeting, utterance)
    fields = [
        ("author", "{" + bibtex_escape(cite["speaker"]) + "}" if cite["speaker"] else ""),
        ("title", bibtex_escape(cite["title"])),
        ("date", cite["date"]),
        ("year", str(meeting.date.year)),
        ("publisher", "President of Russia, kremlin.ru"),
        ("url", bibtex_escape(cite["permalink"])),
        ("howpublished", r"\url{" + bibtex_escape(cite["source"]) + "}" if cite["source"] else ""),
        ("language", "russian" if meeting.language == "ru" else "english"),
        ("note", bibtex_escape(f"Turn {cite['position']}. {CREDIT}")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    text = f"@misc{{{cite['key']},\n{body}\n}}\n"
    return _download(text, "application/x-bibtex; charset=utf-8", f"{cite['key']}.bib")


def cite_ris(request: HttpRequest, language: str, kremlin_id: int, position: int):
    meeting, utterance, _around = _get_turn(language, kremlin_id, position)
    cite = citation(request, meeting, utterance)
    lines = [("TY", "GEN")]
    if cite["speaker"]:
        lines.append(("AU", cite["speaker"]))
    lines += [
        ("TI", cite["title"]),
        ("DA", meeting.date.strftime("%Y/%m/%d")),
        ("PY", str(meeting.date.year)),
        ("PB", "President of Russia, kremlin.ru"),
        ("UR", cite["permalink"]),
    ]
    if cite["source"]:
        lines.append(("UR", cite["source"]))
    lines += [
        ("LA", meeting.language),
        ("N1", f"Turn {cite['position']}. {CREDIT}"),
        ("ID", cite["key"]),
    ]
    text = "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines) + "ER  - \r\n"
    return _download(
        text, "application/x-research-info-systems; charset=utf-8", f"{cite['key']}.ris"
    )


def _download(text: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
