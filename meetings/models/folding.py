"""Accent- and case-blind text: "Erdoğan", "ERDOGAN" and "erdogan" fold to one form.

``meetings_fold(text)`` is PostgreSQL's ``unaccent`` (its default rules: "ğ" → "g", "ё" → "е")
then ``lower``, wrapped in an IMMUTABLE SQL function (migration
``0012_person_search_unaccent``) so that an expression index can use it should the people
ever outgrow a scan (1,529 people at 100,000 meetings: a scan takes a few milliseconds).
"""

from __future__ import annotations

from django.db import models


class Fold(models.Func):
    """``meetings_fold(expression)``: accents dropped, lower case."""

    function = "meetings_fold"
    output_field = models.TextField()


FOLD_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION meetings_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""
