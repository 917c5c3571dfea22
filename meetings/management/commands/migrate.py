"""``manage.py migrate`` without the web's statement timeout: building an index over a
million turns takes longer than any page may (kremlin_meetings/statements.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from kremlin_meetings.statements import lift_statement_timeout


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        lift_statement_timeout()
        return super().handle(*args, **options)
