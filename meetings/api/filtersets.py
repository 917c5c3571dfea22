"""The pages' FilterSets (``meetings/filters.py``), unchanged in what they do, with the type
of each method-backed parameter stated for the OpenAPI document (drf-spectacular cannot
guess them, and its guesses would be warnings in ``manage.py check``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from meetings.filters import MeetingFilter, UtteranceSearchFilter

YES_NO = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", "on", "off"]}
COUNTRY = {"type": "string", "description": "ISO 3166-1 alpha-2 code, or the country's name."}


class MeetingApiFilter(MeetingFilter):
    picker = False

    @extend_schema_field(COUNTRY)
    def filter_country(self, queryset, name, value):
        return super().filter_country(queryset, name, value)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_participant(self, queryset, name, value):
        return super().filter_participant(queryset, name, value)

    @extend_schema_field(YES_NO)
    def filter_transcript(self, queryset, name, value):
        return super().filter_transcript(queryset, name, value)

    @extend_schema_field(YES_NO)
    def filter_documents(self, queryset, name, value):
        return super().filter_documents(queryset, name, value)


class UtteranceApiFilter(UtteranceSearchFilter):
    picker = False

    @extend_schema_field(COUNTRY)
    def filter_country(self, queryset, name, value):
        return super().filter_country(queryset, name, value)
