"""Language marks for mixed-language text: which language a person's shown name is in.

On the Russian interface a speaker resolved to a person is shown by their Russian name even
on an English page, while an unresolved label is shown as the page printed it: the ``lang``
attribute of each must say which (screen readers and hyphenation follow it).
"""

from __future__ import annotations

from django import template

from meetings.languages import preferred_order

register = template.Library()


@register.filter
def name_language(person, printed_language: str) -> str:
    """The language of ``person.display_name`` (the interface's when the person has a name
    in it, else the other), or ``printed_language`` when there is no person (the label as
    printed)."""
    if person is None:
        return printed_language
    for language in preferred_order():
        if getattr(person, f"name_{language}", ""):
            return language
    return printed_language
