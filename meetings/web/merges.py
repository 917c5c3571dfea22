"""Links to a person an editor merged away keep working: a 301 to the kept person.

Asked only when the id is not a person any more (the person page's 404, the filters' "not
one of the available choices"), so pages for people who exist cost no extra query."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.utils.http import urlencode

from meetings.models import MergedParticipant
from meetings.params import ascii_int

PERSON_PARAMETERS = ("participant", "speaker")


def kept_person_url(pk: int) -> str | None:
    """The page of the person ``pk`` was merged into, or None."""
    kept = MergedParticipant.objects.kept_for(pk)
    return kept.get_absolute_url() if kept is not None else None


def moved_filters_redirect(request: HttpRequest, errors) -> HttpResponsePermanentRedirect | None:
    """For a refused ``participant=`` or ``speaker=`` that names a merged-away person: the
    same address with the kept person's id (a 301), else None (the error stands)."""
    params = request.GET.copy()
    moved = False
    for name in PERSON_PARAMETERS:
        if name not in errors:
            continue
        pk = ascii_int(params.get(name), max_digits=11)
        kept = MergedParticipant.objects.kept_for(pk) if pk is not None else None
        if kept is None:
            return None
        params[name] = str(kept.pk)
        moved = True
    if not moved:
        return None
    return HttpResponsePermanentRedirect(f"{request.path}?{urlencode(params, doseq=True)}")
