"""The search helpers the API reuses, imported from one place.

The search pass lives with the pages today; when it moves to its own module only these
imports change.
"""

from meetings.templatetags.meetings_tags import HIGHLIGHT_START, HIGHLIGHT_STOP
from meetings.views import HEADLINE_PREFIX, whole_headlines, with_ellipses

__all__ = [
    "HEADLINE_PREFIX",
    "HIGHLIGHT_START",
    "HIGHLIGHT_STOP",
    "whole_headlines",
    "with_ellipses",
]
