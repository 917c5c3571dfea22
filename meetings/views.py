from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from meetings.models import Country, Meeting, Participant


def meeting_list(request):
    meetings = Meeting.objects.all()[:25]
    return HttpResponse("\n".join(str(m) for m in meetings), content_type="text/plain")


def meeting_detail(request, language, kremlin_id):
    meeting = get_object_or_404(Meeting, language=language, kremlin_id=kremlin_id)
    return HttpResponse(str(meeting), content_type="text/plain")


def utterance_detail(request, language, kremlin_id, position):
    meeting = get_object_or_404(Meeting, language=language, kremlin_id=kremlin_id)
    utterance = get_object_or_404(meeting.utterances, position=position)
    return HttpResponse(utterance.text, content_type="text/plain")


def person_list(request):
    return HttpResponse("\n".join(str(p) for p in Participant.objects.all()[:100]))


def person_detail(request, pk):
    return HttpResponse(str(get_object_or_404(Participant, pk=pk)))


def country_list(request):
    return HttpResponse("\n".join(str(c) for c in Country.objects.all()))


def country_detail(request, code):
    return HttpResponse(str(get_object_or_404(Country, code=code.upper())))
