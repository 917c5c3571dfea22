"""The one rule for "Russian or English": the site languages and the reader's choice of them.

Below the models and the views alike (it imports nothing of the app), so every layer asks the
same question the same way.
"""

from __future__ import annotations

from django.utils.translation import get_language

SITE_LANGUAGES = ("ru", "en")


def ui_language() -> str:
    """The interface language as a site language: "ru" for Russian, else "en"."""
    return "ru" if (get_language() or "en").startswith("ru") else "en"


def other_language(language: str) -> str:
    """The other site's language ("en" for "ru" and the reverse)."""
    return "en" if language == "ru" else "ru"


def preferred_order() -> tuple[str, str]:
    """Both site languages, the reader's first."""
    first = ui_language()
    return first, other_language(first)
