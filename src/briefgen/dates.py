"""Dates as editors know them: a year, a month of a year, or a day, printed at that precision.

A milestone planned for "2025" must not print as "1 January 2025", and a network founded in
April 2018 must not gain a day. ``PartialDate`` keeps what was written and no more.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic_core import core_schema

_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
HINT = "write a year (2025), a month (2025-06) or a day (2025-06-30)"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, with a month, with a day: each part known only if the one before it is."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """From YAML's readings of ``2025``, ``2025-06`` or ``2025-06-30`` (an int, a str, a date)."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError(f"{value.isoformat()!r} has a time of day — {HINT}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        match = _FORM.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise ValueError(f"{value!r} is not a date — {HINT}")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:  # 2019-02-31 has the form but is no day; 2019-13 is no month
            dt.date(year, month or 1, day or 1)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the calendar — {HINT}") from None
        return cls(year, month, day)  # type: ignore[arg-type]  # the pattern requires the year

    @property
    def first_day(self) -> dt.date:
        """The earliest day it can mean (for ordering and placing on a time axis)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}", *(f"{p:02d}" for p in (self.month, self.day) if p is not None)]
        return "-".join(parts)

    def format(self, style: str = "day-month") -> str:
        """ "5 November 2019" (``day-month``) or "November 5, 2019" (``month-day``); "November
        2019" or "2019" when that is all that is known."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return (
            f"{month} {self.day}, {self.year}" if style == "month-day" else f"{self.day} {month} {self.year}"
        )

    def __str__(self) -> str:
        return self.isoformat()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            json_schema_input_schema=core_schema.union_schema(
                [core_schema.int_schema(), core_schema.str_schema()]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.isoformat()),
        )


def format_date(value: PartialDate | dt.date, style: str = "day-month") -> str:
    """A date in prose at its own precision (the templates' ``date`` filter)."""
    return (value if isinstance(value, PartialDate) else PartialDate.parse(value)).format(style)
