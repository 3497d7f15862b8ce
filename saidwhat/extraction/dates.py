"""When a statement was made, as a calendar date: its time words read against the publication date.

A reader of "Hegseth said on Wednesday" in an article of Friday 14 February 2025 knows the day
(Wednesday 12 February); of "last week" only the month, when that week lies in one month; of
"in 2012" only the year. :func:`resolve_date` gives the finest of ``YYYY-MM-DD``, ``YYYY-MM``
and ``YYYY`` that holds every day the words can mean, and None when they fix no period or the
article has no publication date. Pure functions of strings: no parse needed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBREVIATIONS = {m[:3]: i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
_MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS, 1)} | _MONTH_ABBREVIATIONS
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a": 1, "an": 1, "a few": 3, "several": 3}
_WORD = re.compile(r"[a-z]+|\d+")
_PUBLISHED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def publication_day(published: str | None) -> date | None:
    """The day of an ISO 8601 publication date or timestamp ("2016-10-12T08:00:00Z"), or None."""
    m = _PUBLISHED.match(published or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _period(first: date, last: date) -> str | None:
    """The finest of day, month and year that holds ``first``..``last``."""
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    if first.year == last.year:
        return f"{first.year:04d}"
    return None


def _month_of(day: date, back: int) -> str:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return f"{year:04d}-{(month - 1) % 12 + 1:02d}"


def _latest_month_day(month: int, day_of_month: int | None, year: int | None, published: date) -> str | None:
    """"October 9" is the latest October 9 on or before publication; "October" that month."""
    if year is None:
        year = published.year if (month, day_of_month or 1) <= (published.month, published.day) else published.year - 1
    if day_of_month is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day_of_month).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _ago(count: int, unit: str, published: date) -> str | None:
    if unit.startswith("day"):
        return (published - timedelta(days=count)).isoformat()
    if unit.startswith("week"):
        middle = published - timedelta(weeks=count)
        return _period(middle - timedelta(days=3), middle + timedelta(days=3))
    if unit.startswith("month"):
        return _month_of(published, count)
    if unit.startswith("year"):
        return f"{published.year - count:04d}"
    return None


def resolve_date(words: str, published: str | None) -> str | None:
    """The date that ``words`` ("on Wednesday", "last week", "Oct. 9", "in 2012") mean in an
    article published on ``published``; None when the words fix no period or there is no
    publication date."""
    day = publication_day(published)
    if day is None:
        return None
    tokens = _WORD.findall(words.casefold())
    text = " ".join(tokens)
    if not tokens:
        return None
    years = [int(t) for t in tokens if t.isdigit() and len(t) == 4 and 1800 <= int(t) <= day.year]
    months = [_MONTH_NUMBER[t] for t in tokens if t in _MONTH_NUMBER and (t != "may" or len(tokens) > 1)]
    if months:
        numbers = [int(t) for t in tokens if t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 31]
        return _latest_month_day(months[0], numbers[0] if numbers else None, years[0] if years else None, day)
    for n, weekday in enumerate(WEEKDAYS):
        if weekday in tokens or weekday[:3] in tokens:
            if "last" in tokens and "week" not in tokens:
                return (day - timedelta(days=(day.weekday() - n) % 7 or 7)).isoformat()
            return (day - timedelta(days=(day.weekday() - n) % 7)).isoformat()
    if years:
        return f"{years[0]:04d}"
    if "yesterday" in tokens:
        return (day - timedelta(days=1)).isoformat()
    if tokens[-1] in ("today", "tonight") or re.search(r"\bthis (morning|afternoon|evening)\b", text):
        return day.isoformat()
    m = re.search(r"\b(\w+(?: few)?) (day|days|week|weeks|month|months|year|years) ago\b", text)
    if m and m[1] in _NUMBER_WORDS | {str(i): i for i in range(1, 100)}:
        count = _NUMBER_WORDS.get(m[1]) or int(m[1])
        return _ago(count, m[2], day) if m[1] not in ("a few", "several") else None
    if re.search(r"\blast week(end)?\b", text):
        start = day - timedelta(days=day.weekday() + 7)
        return _period(start, start + timedelta(days=6))
    if re.search(r"\bthis week(end)?\b", text):
        return _period(day - timedelta(days=day.weekday()), day)
    if re.search(r"\blast month\b", text):
        return _month_of(day, 1)
    if re.search(r"\bthis month\b", text):
        return _month_of(day, 0)
    if re.search(r"\blast year\b", text):
        return f"{day.year - 1:04d}"
    if re.search(r"\bthis year\b", text):
        return f"{day.year:04d}"
    return None
