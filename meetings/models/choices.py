"""The choices and constants the models share."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

MOSCOW = ZoneInfo("Europe/Moscow")
SITE_HOSTS = {"ru": "kremlin.ru", "en": "en.kremlin.ru"}


class Language(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class MeetingKind(models.TextChoices):
    TALKS = "talks", _("Talks")
    MEETING = "meeting", _("Meeting")
    TELEPHONE = "telephone", _("Telephone conversation")
    SUMMIT = "summit", _("Summit")
    PRESS = "press", _("News conference or press statements")
    VISIT = "visit", _("Visit")
    MESSAGE = "message", _("Message or greeting")
    INTERVIEW = "interview", _("Interview or article")
    DECREE = "decree", _("Executive order, law or appointment")
    FORUM = "forum", _("Multilateral session or forum")
    CEREMONY = "ceremony", _("Ceremony or cultural event")
    OTHER = "other", _("Other")


class UtteranceKind(models.TextChoices):
    SPEECH = "speech", _("Speech")
    QUESTION = "question", _("Question")
    NARRATIVE = "narrative", _("Narrative")
    OMISSION = "omission", _("Omission")


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    MEMORANDUM = "memorandum", _("Memorandum")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    DECLARATION = "declaration", _("Declaration")
    PROGRAMME = "programme", _("Programme")
    OTHER = "other", _("Other")
