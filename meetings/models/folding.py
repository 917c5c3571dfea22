"""Accent- and case-blind text: "Erdoğan", "ERDOGAN" and "erdogan" fold to one form.

``meetings_fold(text)`` drops the accents of Latin letters ("ğ" → "g", "ø" → "o", "ı" → "i")
and "ё" → "е" with ``translate`` (the table below, from Unicode's decompositions), then
``lower``: plain SQL in an IMMUTABLE function, so that an index can hold it and every
PostgreSQL has it (the embedded one ships no ``unaccent`` or ``pg_trgm``).
``meetings_person_names(name, name_en, name_ru, aliases)`` is every name of a person folded
into one text, which the people search matches with ``LIKE '%…%'``; where ``pg_trgm`` is
available, migration ``0019_person_search_unaccent`` adds a trigram index on it (1,500
people scan in ~25 ms without it).
"""

from __future__ import annotations

import unicodedata

from django.db import models


def _latin_table() -> tuple[str, str]:
    """(accented, plain): every Latin letter U+00C0–U+024F that decomposes to an ASCII
    letter, plus the letters Unicode does not decompose, and Russian ё."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = unicodedata.normalize("NFD", letter)[0]
        if base != letter and base.isascii() and base.isalpha():
            accented.append(letter)
            plain.append(base)
    extra = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "s"}
    extra |= {"æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ħ": "h", "Ħ": "H", "ё": "е", "Ё": "Е"}
    for letter, base in extra.items():
        if letter not in accented:
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _latin_table()


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


FOLD_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION meetings_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(translate($1, '{ACCENTED}', '{PLAIN}')) $$;

-- Schema-qualified calls: pg_dump restores a function body with an empty search_path.
-- COST: folding every name of a row takes ~30 µs, which makes the planner take the index.
CREATE OR REPLACE FUNCTION meetings_person_names(text, text, text, varchar[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
AS $$ SELECT public.meetings_fold(
    coalesce($1, '') || ' | ' || coalesce($2, '') || ' | ' || coalesce($3, '') || ' | '
    || coalesce(array_to_string($4, ' | '), '')) $$;
"""

# Only where pg_trgm is installable (a server with PostgreSQL's contrib): the same answers
# without it, by a scan.
TRIGRAM_INDEX_SQL = """
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS participant_names_fold_trgm ON meetings_participant
      USING gin (meetings_person_names(name, name_en, name_ru, aliases) gin_trgm_ops);
  END IF;
END $$;
"""

DROP_TRIGRAM_INDEX_SQL = "DROP INDEX IF EXISTS participant_names_fold_trgm;"

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS meetings_person_names(text, text, text, varchar[]);
DROP FUNCTION IF EXISTS meetings_fold(text);
"""
