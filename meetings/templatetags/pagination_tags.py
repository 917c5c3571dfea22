"""Numbered pagination: the first and last page and the ones around the current one."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def page_numbers(page: Page) -> list[int | str]:
    """``[1, "…", 4, 5, 6, 7, 8, "…", 127]`` around page 6 of 127 (Django's elided range)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
