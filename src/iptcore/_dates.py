"""Calendar-month arithmetic: the one rule the classification window, the deidentifier and the
monthly cadence share.

"12 months before ``onset``" is the same day 12 calendar months earlier, and a day the month lacks
gives its last day (29 February gives 28 February); a monthly session falls on the same day of each
month, clamped the same way. The promise that a deidentified copy classifies like the original
rests on every module computing this one way, so they all call :func:`add_months`.

>>> from datetime import date
>>> add_months(date(2024, 2, 29), -12)
datetime.date(2023, 2, 28)
>>> add_months(date(2028, 1, 31), 1)
datetime.date(2028, 2, 29)
>>> add_months(date(2025, 1, 31), 1, day=30)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months"]


def add_months(when: date, months: int, *, day: int | None = None) -> date:
    """``when`` moved by ``months`` calendar months (negative: earlier), on ``day`` (default
    ``when.day``) clamped to the month's last day.

    Before the year 1 it gives ``date.min``; past the year 9999 it raises ``ValueError``, which callers
    turn into their own error naming the field.
    """
    year, month = divmod(when.year * 12 + when.month - 1 + months, 12)
    if year < 1:
        return date.min
    if year > 9999:
        raise ValueError(f"{months} months after {when} is past {date.max}")
    wanted = when.day if day is None else day
    if wanted <= 28:  # every month has it
        return date(year, month + 1, wanted)
    return date(year, month + 1, min(wanted, calendar.monthrange(year, month + 1)[1]))
