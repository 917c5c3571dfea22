"""Accent- and case-blind text: "Erdoğan", "ERDOGAN" and "erdogan" fold to one form.

``meetings_fold(text)`` is PostgreSQL's ``unaccent`` (its default rules: "ğ" → "g", "ё" → "е")
then ``lower``, wrapped in an IMMUTABLE SQL function so that an index can hold it;
``meetings_person_names(name, name_en, name_ru, aliases)`` is every name of a person folded
into one text, which the people search matches with ``LIKE '%…%'`` through a trigram index
(migration ``0019_person_search_unaccent``).
"""

from __future__ import annotations

from django.db import models


class Fold(models.Func):
    """``meetings_fold(expression)``: accents dropped, lower case."""

    function = "meetings_fold"
    output_field = models.TextField()


class FoldedNames(models.Func):
    """A person's names in both languages and every printed label, folded into one text."""

    function = "meetings_person_names"
    output_field = models.TextField()

    def __init__(self, **extra):
        super().__init__(
            models.F("name"), models.F("name_en"), models.F("name_ru"), models.F("aliases"), **extra
        )


FOLD_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION meetings_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Schema-qualified calls: pg_dump restores a function body with an empty search_path.
-- COST: folding every name of a row takes ~30 µs, which makes the planner take the index.
CREATE OR REPLACE FUNCTION meetings_person_names(text, text, text, varchar[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
AS $$ SELECT public.meetings_fold(
    coalesce($1, '') || ' | ' || coalesce($2, '') || ' | ' || coalesce($3, '') || ' | '
    || coalesce(array_to_string($4, ' | '), '')) $$;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS meetings_person_names(text, text, text, varchar[]);
DROP FUNCTION IF EXISTS meetings_fold(text);
"""
