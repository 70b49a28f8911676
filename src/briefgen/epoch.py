"""Reads SOURCE_DATE_EPOCH, the build time reproducible builds agree on, in one place.

The Word package and the distribution zip are dated with it, and a ZIP entry's date holds only
1980 to 2107 (two-second steps), so a value outside that range is an error rather than a date
quietly moved. https://reproducible-builds.org/specs/source-date-epoch/
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import BriefgenError

VARIABLE = "SOURCE_DATE_EPOCH"
FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # ZIP's (MS-DOS) dates: 1980 ...
LAST = dt.datetime(2107, 12, 31, 23, 59, 59, tzinfo=dt.UTC)  # ... to 2107
HINT = (
    f"unset it, or set it to a time from {int(FIRST.timestamp())} to {int(LAST.timestamp())},"
    " e.g. $(git log -1 --format=%ct)"
)
RANGE = f"the dates a ZIP can hold ({FIRST:%Y-%m-%d} to {LAST:%Y-%m-%d})"


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is unset or empty; a value that is not
    a whole number of seconds, or lies outside what a ZIP can date, is a :class:`BriefgenError`."""
    value = os.environ.get(VARIABLE, "")
    if not value:
        return None
    # The spec's format is `date +%s`: ASCII digits only, so no sign, exponent or spaces.
    if not re.fullmatch(r"[0-9]+", value):
        raise BriefgenError.at(VARIABLE, None, f"{value!r} is not a whole number of seconds since 1970", HINT)
    seconds = int(value)
    if seconds > LAST.timestamp():
        raise BriefgenError.at(VARIABLE, None, f"{value!r} is past {RANGE}", HINT)
    stamp = dt.datetime.fromtimestamp(seconds, dt.UTC)
    if stamp < FIRST:
        raise BriefgenError.at(
            VARIABLE, None, f"{value!r} is {stamp:%Y-%m-%d %H:%M:%S} UTC, outside {RANGE}", HINT
        )
    return stamp
