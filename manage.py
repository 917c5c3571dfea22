#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

In a source checkout (a ``.git`` beside this file) with neither ``SECRET_KEY`` nor ``DEBUG``
set, commands run with development settings (``DEBUG=1``), so the README's examples work as
written. Production is untouched: the image has no ``.git``, gunicorn never reads this file,
a set ``SECRET_KEY`` or ``DEBUG`` always wins, and ``DJANGO_ENV=production`` turns the
default off (the missing key is then refused as before).
"""

import os
import sys
from pathlib import Path


def default_to_development() -> None:
    checkout = (Path(__file__).resolve().parent / ".git").exists()
    if (
        checkout
        and "DEBUG" not in os.environ
        and not os.environ.get("SECRET_KEY")
        and os.environ.get("DJANGO_ENV", "").strip().lower() != "production"
    ):
        os.environ["DEBUG"] = "1"
        print(
            "manage.py: no SECRET_KEY in a source checkout: development settings (DEBUG=1). "
            "Set DJANGO_ENV=production to refuse instead.",
            file=sys.stderr,
        )


def main() -> None:
    default_to_development()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kremlin_meetings.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
