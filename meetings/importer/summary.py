"""What a run did: counts, and one line for every input that did not simply import."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from meetings.importer import save

logger = logging.getLogger(__name__)


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    conflicts: int = 0  # pages saved with at least one editor's correction kept
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "path: reason", one per failed input
    conflict_lines: list[str] = field(default_factory=list)
    source_changed: list[str] = field(default_factory=list)  # "en/62562": a new source version
    stopped: str = ""  # why a live run stopped early (the site refused us)
    skipped_lines: list[str] = field(default_factory=list)  # "path: reason", one per skip
    warnings: list[str] = field(default_factory=list)  # "path: warning", pages imported anyway
    tracebacks: list[str] = field(default_factory=list)  # for -v 3 only
    # Called after every page counted (the run's record writes its counts): see run_log.py.
    listener: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, conflicts {self.conflicts}, failed {self.failed}"
        )

    @property
    def total(self) -> int:
        return (
            self.created
            + self.updated
            + self.unchanged
            + self.skipped
            + self.conflicts
            + self.failed
        )

    def fail(self, source: str, reason: str) -> None:
        self.failed += 1
        reason = " ".join(reason.split())  # one line, whatever the message held
        self.failures.append(f"{source}: {reason}")
        logger.debug("failed: %s: %s", source, reason)
        self._counted()

    def skip(self, source: str, reason: str) -> None:
        self.skipped += 1
        self.skipped_lines.append(f"{source}: {reason}")
        self._counted()

    def count(self, outcome: save.Outcome) -> None:
        if outcome.status == save.CONFLICT:
            self.conflicts += 1
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.conflict_lines += outcome.conflicts
        if outcome.source_changed:
            self.source_changed.append(outcome.label)
        self._counted()

    def _counted(self) -> None:
        if self.listener is not None:
            self.listener()


def merge(summaries: Iterable[Summary]) -> Summary:
    """One summary adding up several runs (files, then ids, then a crawl)."""
    total = Summary()
    for part in summaries:
        for name in ("created", "updated", "unchanged", "skipped", "conflicts", "failed"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.failures += part.failures
        total.skipped_lines += part.skipped_lines
        total.warnings += part.warnings
        total.tracebacks += part.tracebacks
        total.conflict_lines += part.conflict_lines
        total.source_changed += part.source_changed
        total.stopped = total.stopped or part.stopped
    return total


def report_text(summary: Summary) -> str:
    """Every page that did not simply import, one line each: "outcome<TAB>page: reason"."""
    lines = [f"failed\t{line}" for line in summary.failures]
    lines += [f"skipped\t{line}" for line in summary.skipped_lines]
    lines += [f"warning\t{line}" for line in summary.warnings]
    lines += [f"conflict\t{line}" for line in summary.conflict_lines]
    return "".join(f"{line}\n" for line in lines) + f"summary\t{summary.line()}\n"
