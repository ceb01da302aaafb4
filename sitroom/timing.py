"""Where a processing run's time goes: the stages ``Workspace.process`` reports (and the scale
benchmark prints), timed with a monotonic clock."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
# The clock stages are timed with: wall time. A benchmark on a shared machine may set it to
# time.process_time (CPU time of this process: what one worker costs, whatever the load).
CLOCK = time.perf_counter


@dataclass(frozen=True, kw_only=True)
class ProcessTimes:
    """Seconds a processing run spent waiting on the per-document pipeline (spaCy and the components,
    in this process or in workers), writing annotations, and in the cross-document update (stories,
    links, question evidence and assessments)."""

    pipeline: float = 0.0
    writes: float = 0.0
    update: float = 0.0


class Stopwatch:
    """Sums the time spent in named stages."""

    def __init__(self) -> None:
        self._spent = {"pipeline": 0.0, "writes": 0.0, "update": 0.0}

    @contextlib.contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        clock = CLOCK
        start = clock()
        try:
            yield
        finally:
            self._spent[stage] += clock() - start

    def next(self, items: Iterator[T], stage: str) -> T | None:
        """The next of ``items`` (None at the end), the wait counted in ``stage``."""
        with self.timing(stage):
            return next(items, None)

    def times(self) -> ProcessTimes:
        return ProcessTimes(**{stage: round(spent, 3) for stage, spent in self._spent.items()})
