"""Management commands that hand their command line to a tool's own ``main(argv)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand

from kremlin_meetings.statements import lift_statement_timeout


class PassThroughCommand(BaseCommand):
    """``manage.py <name> [tool arguments]``: the tool parses its own arguments (``--help``
    shows them), so the command stays one line of glue."""

    def tool(self) -> Callable[[list[str]], Any]:
        raise NotImplementedError

    def run_from_argv(self, argv: list[str]) -> None:
        self._run(argv[2:])

    def handle(self, *args: str, **options: Any) -> None:
        self._run(list(args))

    def _run(self, argv: list[str]) -> None:
        lift_statement_timeout()  # a command, not a request
        status = self.tool()(argv)
        if isinstance(status, int) and status:
            raise SystemExit(status)
