"""The kept aggregates checked once per request, by the views that read them.

Imports and admin saves refresh the aggregates through the ``data_changed`` signal; a write
from anywhere else (a shell, SQL, a test's builders) is caught here: the views whose pages
read the aggregates (directly, or through the country and person pickers) are decorated with
:func:`reads_aggregates`, which runs :func:`meetings.models.aggregates.ensure_fresh` (one
small query) before the view. QuerySet builders never refresh anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from meetings.models import aggregates

P = ParamSpec("P")
R = TypeVar("R")


def reads_aggregates(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        aggregates.ensure_fresh()
        return view(*args, **kwargs)

    return wrapped
