"""Checks of the values a caller passes to the read layer: a bad filter is an error, never an empty answer.

The CLI, the web UI and the Python API all pass their filters through these, so ``--modality sure``,
``--since 2020-13-45`` or an inverted range are refused with the same coded message everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sitroom.errors import InputError

_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def check_choice(name: str, value: str | None, choices: Iterable[str]) -> None:
    """``value`` (when given) must be one of ``choices``."""
    choices = tuple(choices)
    if value is not None and value not in choices:
        raise InputError("E041", f"{name} must be one of {', '.join(choices)}, not {value!r}")


def check_date(name: str, value: str | None) -> None:
    """``value`` (when given) must be an ISO date of any precision: 2015, 2015-11 or 2015-11-23."""
    if value is None:
        return
    if not _ISO_PREFIX.fullmatch(value):
        raise InputError("E041", f"{name} must be a date like 2015, 2015-11 or 2015-11-23, not {value!r}")
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise InputError("E041", f"{name} {value!r} is not a real date") from None


def check_dates(since: str | None, until: str | None) -> None:
    """Both bounds valid, and ``since`` not after ``until``."""
    check_date("since", since)
    check_date("until", until)
    if since and until and since[: len(until)] > until:
        raise InputError("E041", f"since ({since}) is after until ({until})")
