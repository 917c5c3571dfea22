"""``{% last_import_run as run %}`` for the admin index (templates/admin/index.html)."""

from django import template

from meetings.models import ImportRun

register = template.Library()


@register.simple_tag
def last_import_run() -> ImportRun | None:
    return ImportRun.objects.latest_finished()
