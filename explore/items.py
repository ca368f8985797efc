"""Timeline items as the pages show them: dates in words, links to the pages of what they name.

An item is the document the API serves (`events.read_model.shapes`), parsed; this adds
what a page needs beside it: the date in words (`events.dates.describe`), the page of
each record it names, the passage each citation points at, and what the visual timeline
draws (a point for an item known to the day, a span for a coarser one).
"""

from __future__ import annotations

import datetime
import functools

from django.urls import reverse

from events.choices import EventType, StatementKind
from events.dates import describe

_PLACEHOLDER = "SLUG-PLACEHOLDER"


@functools.cache
def _route(route: str) -> tuple[str, str]:
    """The text before and after the slug in a record page's path (reversed once: a page links hundreds)."""
    prefix, suffix = reverse(f"explore:{route}", kwargs={"slug": _PLACEHOLDER}).split(_PLACEHOLDER)
    return prefix, suffix


def page_of(route: str, brief: dict | None) -> str | None:
    """The page of a record a document refers to ({slug, name, url}), or None."""
    if not brief:
        return None
    prefix, suffix = _route(route)
    return f"{prefix}{brief['slug']}{suffix}"


def passage_anchor(start: int, end: int) -> str:
    """The id of a cited passage on its source's page."""
    return f"passage-{start}-{end}"


def passage_url(citation: dict) -> str:
    return page_of("source", citation["source"]) + "#" + passage_anchor(citation["start"], citation["end"])


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def date_words(date: dict) -> str:
    """ "Thu 2 Mar 2017", "week of 27 Feb 2017", "Dec 2016", or "date not stated"."""
    if date["precision"] == "unknown":
        return "date not stated"
    return describe(_day(date["start"]), _day(date["end"]), date["precision"])


def decorated(item: dict, kind: str | None = None) -> dict:
    """`item` with `page` (its own page), `when` (the date in words) and page links on what it names."""
    item = dict(item)
    if kind == "statement" and "statement_kind" not in item:
        # A statement's own document calls quote or paraphrase its `kind`; the timeline's, `statement_kind`.
        item["statement_kind"] = item.get("kind")
    kind = kind or item.get("kind")
    item["kind"] = kind
    if kind == "event":
        item["type_label"] = dict(EventType.choices).get(item["type"], item["type"])
    else:
        item["statement_kind_label"] = dict(StatementKind.choices).get(item["statement_kind"], "")
    item["page"] = page_of(kind, item)
    item["when"] = date_words(item["date"])
    for participant in item.get("participants", []):
        participant["actor"]["page"] = page_of("actor", participant["actor"])
    for brief in item.get("conflicts", []):
        brief["page"] = page_of("conflict", brief)
    for brief in item.get("about", []):
        brief["page"] = page_of("actor", brief)
    if item.get("speaker"):
        item["speaker"]["page"] = page_of("actor", item["speaker"])
    if item.get("occasion"):
        item["occasion"]["page"] = page_of("event", item["occasion"])
    for citation in item.get("citations", []):
        citation["page"] = passage_url(citation)
        citation["source"]["page"] = page_of("source", citation["source"])
    return item


def visual(item: dict) -> dict | None:
    """The item as the visual timeline draws it: a point when known to the day, else a span; None if undated."""
    date = item["date"]
    if not date["start"]:
        return None
    label = item["title"] if item["kind"] == "event" else f"{item['speaker']['name']}: {item['text']}"
    drawn = {
        "id": f"{item['kind']}:{item['slug']}",
        "label": label[:120],
        "start": date["start"],
        "page": item["page"],
        "when": item["when"],
        "kind": item["kind"],
    }
    if date["precision"] == "day":
        drawn["type"] = "point"
    else:
        # vis-timeline's ranges end at an instant: the day after the last day.
        drawn["type"] = "range"
        drawn["end"] = (_day(date["end"]) + datetime.timedelta(days=1)).isoformat()
    return drawn
