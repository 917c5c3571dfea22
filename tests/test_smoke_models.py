import pytest
from django.db import IntegrityError

from tests.factories import make_meeting, make_utterance


@pytest.mark.django_db
def test_duplicate_id_and_language_refused():
    make_meeting(kremlin_id=62562, language="en")
    make_meeting(kremlin_id=62562, language="ru")  # the other site's version is fine
    with pytest.raises(IntegrityError):
        make_meeting(kremlin_id=62562, language="en")


@pytest.mark.django_db
def test_duplicate_utterance_position_refused():
    meeting = make_meeting()
    make_utterance(meeting, position=1)
    with pytest.raises(IntegrityError):
        make_utterance(meeting, position=1)
