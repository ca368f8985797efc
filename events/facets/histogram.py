"""Items per month or per year, in date order, empty periods kept, coarse dates apart. Pure.

The counts come by period ("2017-03|day", "2017-03|week", "2016-12|month", "2011|year",
"|unknown": `events_facet_period`). Each bucket is one month (or year) and says how many
of its items are known to which precision, so a chart can show items known only to the
month apart from those known to the day, rather than spreading them over days as if they
were exact:

- by month: day- and week-precision items (a week in the month holding its Thursday) and
  month-precision items in their month's bucket; items known only to their year cannot
  be placed in a month, so they are counted in year buckets of their own (`coarse`);
- by year: every dated item in its year's bucket, year-precision items among them.

Items with no date are counted in `undated`. Every month (or year) between the first
and the last with items has a bucket, so gaps show as gaps.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict

INTERVALS = ("month", "year")
# A histogram past this many buckets (a date in year 1 and one in 2025, by month) is cut
# at the most recent end rather than sent as tens of thousands of empty buckets.
MAX_BUCKETS = 1200
PRECISIONS_BY_INTERVAL = {"month": ("day", "week", "month"), "year": ("day", "week", "month", "year")}


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    keys = []
    while (year, month) <= end:
        keys.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return keys


def _year_range(first: str, last: str) -> list[str]:
    return [f"{year:04d}" for year in range(int(first), int(last) + 1)]


def _bounds(key: str) -> tuple[str, str]:
    """The first and last day of the month "YYYY-MM" or the year "YYYY", ISO."""
    year = int(key[:4])
    if len(key) == 4:
        return datetime.date(year, 1, 1).isoformat(), datetime.date(year, 12, 31).isoformat()
    month = int(key[5:7])
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1).isoformat(), datetime.date(year, month, last).isoformat()


def _buckets(counts: dict[str, dict[str, int]], keys: list[str], precisions: tuple[str, ...]) -> list[dict]:
    buckets = []
    for key in keys[-MAX_BUCKETS:]:
        start, end = _bounds(key)
        by_precision = {precision: counts.get(key, {}).get(precision, 0) for precision in precisions}
        buckets.append(
            {
                "key": key,
                "start": start,
                "end": end,
                "count": sum(by_precision.values()),
                "by_precision": by_precision,
            }
        )
    return buckets


def histogram(periods: dict[str, int], interval: str) -> dict:
    """The histogram of `periods` by `interval` ("month" or "year"): {interval, buckets, coarse, undated}.

    >>> histogram({"2017-01|day": 2, "2017-03|month": 1, "2016|year": 4, "|unknown": 3}, "month")["undated"]
    3
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}, not {interval!r}")
    fine: dict[str, dict[str, int]] = defaultdict(dict)  # bucket key -> precision -> count
    years_only: dict[str, dict[str, int]] = defaultdict(dict)
    undated = 0
    for period, n in periods.items():
        if not n:
            continue
        when, precision = period.split("|")
        if precision == "unknown":
            undated += n
        elif interval == "year":
            key = when[:4]
            fine[key][precision] = fine[key].get(precision, 0) + n
        elif precision == "year":
            years_only[when][precision] = years_only[when].get(precision, 0) + n
        else:
            fine[when][precision] = fine[when].get(precision, 0) + n
    span = _month_range if interval == "month" else _year_range
    buckets = _buckets(fine, span(min(fine), max(fine)) if fine else [], PRECISIONS_BY_INTERVAL[interval])
    coarse = _buckets(
        years_only, _year_range(min(years_only), max(years_only)) if years_only else [], ("year",)
    )
    return {"interval": interval, "buckets": buckets, "coarse": coarse, "undated": undated}
