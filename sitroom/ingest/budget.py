"""A per-document time limit for third-party parsing (trafilatura, htmldate).

How the limit is enforced, and why this way:

- In the main thread of a POSIX process, a ``SIGALRM`` interval timer raises :class:`TimeLimitExceeded`
  in the parsing code when the budget is spent. Python runs signal handlers between bytecodes, and
  the slow paths we have met (htmldate's candidate loops, trafilatura's tree walks) are Python code,
  so the exception arrives within milliseconds. The parse is abandoned as a whole; nothing it built
  is kept, and the timer and the previous handler are restored whatever happens.
- A single long C call (one huge regular-expression match, one lxml parse) cannot be interrupted by
  a signal; the size cap (``max_bytes``) and the markup pre-checks of :mod:`sitroom.ingest.markup`
  bound those instead.
- Off the main thread (a web server worker, a thread pool) or where ``setitimer`` does not exist
  (Windows), signals cannot be used: the limit is not enforced there and only the pre-checks hold.
  A worker process per document would enforce it everywhere, but costs a fork and a pickled result
  per page (slower than most extractions), so it is not the default.
- An interval timer already running (an application's own ``alarm``) is left alone: no limit then.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeLimitExceeded(Exception):
    """The document's time budget ran out; raised inside the code being timed."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Run the body with at most ``seconds`` of wall time; yields whether the limit is enforced.

    ``None`` or ``0`` means no limit.
    """
    if not seconds or not _can_use_alarm():
        yield False
        return
    armed = True

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if armed:  # a late alarm after the body finished must not raise in the caller
            raise TimeLimitExceeded(f"over the {seconds:g}-second limit")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_use_alarm() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
