"""Template helpers of the explore pages: the histogram's bars."""

from __future__ import annotations

import calendar

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def bucket_words(bucket: dict, interval: str) -> str:
    """ "Mar 2017" or "2017"."""
    key = bucket["key"]
    if interval == "month" and len(key) == 7:
        return f"{calendar.month_abbr[int(key[5:7])]} {key[:4]}"
    return key[:4]


def _describe(bucket: dict, interval: str) -> str:
    parts = {
        "day": "to the day",
        "week": "to the week",
        "month": "only to the month",
        "year": "only to the year",
    }
    known = [f"{n} known {parts[p]}" for p, n in bucket["by_precision"].items() if n]
    total = bucket["count"]
    detail = f" ({', '.join(known)})" if known else ""
    return f"{bucket_words(bucket, interval)}: {total} item{'s' if total != 1 else ''}{detail}"


@register.simple_tag
def histogram_bars(buckets: list[dict], interval: str, css_class: str):
    """An ordered list of bars, one link per bucket, heights relative to the tallest; each stacked by precision."""
    tallest = max((bucket["count"] for bucket in buckets), default=0) or 1
    bars = []
    for bucket in buckets:
        by = bucket["by_precision"]
        exact = by.get("day", 0) + by.get("week", 0)
        segments = [("exact", exact), ("month", by.get("month", 0)), ("year", by.get("year", 0))]
        stacked = format_html_join(
            "",
            '<span class="segment {}" style="height: {}%"></span>',
            ((name, round(100 * n / tallest, 2)) for name, n in segments if n),
        )
        label = _describe(bucket, interval)
        bars.append(
            format_html(
                '<li><a href="{}" title="{}" aria-label="{}"><span class="bar">{}</span>'
                '<span class="tick" aria-hidden="true">{}</span></a></li>',
                bucket["url"],
                label,
                label,
                stacked,
                bucket_words(bucket, interval) if _labelled(bucket, interval) else "",
            )
        )
    return format_html(
        '<ol class="bars {}">{}</ol>', css_class, format_html_join("", "{}", ((bar,) for bar in bars))
    )


def _labelled(bucket: dict, interval: str) -> bool:
    """Label every year, and January of each year (months)."""
    return interval != "month" or bucket["key"].endswith("-01") or len(bucket["key"]) == 4
