"""Export formats of the timeline (`?format=csv`, `?format=ndjson`, `?format=timelinejs`), as DRF renderers.

Both take the timeline's serialized items (the JSON shape: `kind` plus the fields of the
event or statement serializer) and turn them into another document:

- `TimelineCSVRenderer`: one row per item, UTF-8 with a byte order mark so spreadsheets
  detect the encoding. `stream()` yields the document piece by piece for a
  StreamingHttpResponse; `render()` builds it whole. Cells that a spreadsheet would run
  as a formula (starting with = + - @, tab or carriage return) get a leading single quote.
- `TimelineJSRenderer`: a TimelineJS3 document
  (https://timeline.knightlab.com/docs/json-format.html). TimelineJS needs a year for
  every slide, so undated items are left out and counted in the title slide. Every field
  TimelineJS renders as HTML (headline, text, display_date, group) holds the data
  escaped: only the document's own markup (paragraphs, quotes, links) is markup.
"""

import csv
import datetime
import html
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param

from events.dates import Precision, describe

CSV_COLUMNS = (
    "kind",
    "slug",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "title",
    "text",
    "type",
    "actors",
    "conflicts",
    "location",
    "citations",
    "source_urls",
    "url",
)
BOM = "\ufeff"
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _api_link(url: str) -> str:
    """An API link without `?format=`: DRF carries the requested format into links, but an
    export's links should lead to the records themselves (JSON), not to another export."""
    return remove_query_param(url, api_settings.URL_FORMAT_OVERRIDE) if url and "?" in url else url


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(item: dict) -> list[str]:
    """The CSV cells (in CSV_COLUMNS order) of one serialized timeline item.

    title is the event's title or the statement's speaker; text the event's summary or the
    statement's words; type the event type or the statement's kind (quote/paraphrase);
    actors "slug:role; ..." (statements: the speaker as "slug:speaker", then each actor
    spoken about as "slug:about"). source_urls are the cited documents' own addresses,
    when the caller added them to the item (`source_urls`).
    """
    date = item["date"]
    if item["kind"] == "event":
        title, text, type_, location = item["title"], item["summary"], item["type"], item["location"]
        actors = [f"{p['actor']['slug']}:{p['role']}" for p in item["participants"]]
    else:
        speaker = item["speaker"]
        title, text, type_, location = speaker["name"], item["text"], item["statement_kind"], ""
        actors = [f"{speaker['slug']}:speaker", *(f"{actor['slug']}:about" for actor in item["about"])]
    cells = [
        item["kind"],
        item["slug"],
        date["start"],
        date["end"],
        date["precision"],
        date["text"],
        title,
        text,
        type_,
        "; ".join(actors),
        "; ".join(conflict["slug"] for conflict in item["conflicts"]),
        location,
        " | ".join(citation["excerpt"] for citation in item["citations"]),
        "; ".join(item.get("source_urls", [])),
        _api_link(item["url"]),
    ]
    return [_cell(value) for value in cells]


class TimelineCSVRenderer(BaseRenderer):
    """`?format=csv`: the timeline as a spreadsheet, one row per item (see `csv_row`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    filename = "timeline.csv"
    # Rows are gathered into pieces of about this many characters before being sent.
    piece_size = 64 * 1024

    @classmethod
    def stream(cls, items: Iterable[dict]) -> Iterator[str]:
        """The CSV document in pieces: BOM and header first, then rows as `items` yields them."""
        writer = csv.writer(_Line())
        piece = [BOM, writer.writerow(CSV_COLUMNS)]
        size = 0
        for item in items:
            line = writer.writerow(csv_row(item))
            piece.append(line)
            size += len(line)
            if size >= cls.piece_size:
                yield "".join(piece)
                piece, size = [], 0
        yield "".join(piece)

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        """The whole document for a list of items (or a page: `{"results": [...]}`)."""
        items = data.get("results", []) if isinstance(data, dict) else data or []
        return "".join(self.stream(items)).encode(self.charset)


# --------------------------------------------------------------------------- TimelineJS

_PARTS_BY_PRECISION = {
    Precision.DAY: ("year", "month", "day"),
    Precision.WEEK: ("year", "month", "day"),
    Precision.MONTH: ("year", "month"),
    Precision.YEAR: ("year",),
}


def _timelinejs_date(day: datetime.date, precision: Precision) -> dict:
    """A TimelineJS date object with only the parts the precision knows (ints)."""
    return {part: getattr(day, part) for part in _PARTS_BY_PRECISION[precision]}


def _citations_html(citations: list[dict]) -> str:
    return "".join(
        f"<blockquote>{html.escape(citation['excerpt'])}</blockquote>"
        f'<p>Source: <a href="{html.escape(_api_link(citation["source"]["url"]))}">{html.escape(citation["source"]["name"])}</a></p>'
        for citation in citations
    )


def _label(text: str) -> str:
    """A date or group label, safe for every reader of TimelineJS documents.

    Older TimelineJS sets these labels as HTML; TimelineJS 3.9 first turns them into text
    (decoding entities), then sets that text as HTML. Escaping alone is safe for the first
    and unsafe for the second ("&lt;img" becomes an element), leaving markup raw the
    reverse. So angle brackets, which no date or conflict name needs, become single
    guillemets, and the rest is escaped: no reading of it can make an element.
    """
    return html.escape(text.replace("<", "\u2039").replace(">", "\u203a"))


def timelinejs_slide(item: dict) -> dict | None:
    """The TimelineJS slide for one serialized timeline item, or None if it has no date."""
    date = item["date"]
    precision = Precision(date["precision"])
    if precision is Precision.UNKNOWN or not date["start"]:
        return None
    start = datetime.date.fromisoformat(date["start"])
    end = datetime.date.fromisoformat(date["end"])
    label = describe(start, end, precision)
    if item["kind"] == "event":
        headline, body = item["title"], item["summary"]
    else:
        headline, body = item["speaker"]["name"], item["text"]
    # TimelineJS renders display_date, group and both text fields as HTML: every value
    # from the data is escaped, so the document is safe to embed whatever renders it.
    # display_date and group are labels (see `_label`).
    slide = {
        "unique_id": f"{item['kind']}-{item['slug']}",
        "start_date": _timelinejs_date(start, precision),
        "end_date": _timelinejs_date(end, precision),
        "display_date": _label(f"{date['text']} ({label})" if date["text"] else label),
        "text": {
            "headline": html.escape(headline),
            "text": f"<p>{html.escape(body)}</p>{_citations_html(item['citations'])}",
        },
    }
    if item["conflicts"]:
        slide["group"] = _label(item["conflicts"][0]["name"])
    return slide


def timelinejs_document(
    items: Iterable[dict],
    *,
    undated: int = 0,
    truncated_at: int | None = None,
    headline: str = "Event timeline",
) -> dict:
    """A TimelineJS3 document of `items`; `undated` counts items already left out for having no date."""
    slides = []
    for item in items:
        slide = timelinejs_slide(item)
        if slide is None:
            undated += 1
        else:
            slides.append(slide)
    notes = [f"{len(slides)} item{'s' if len(slides) != 1 else ''}"]
    if truncated_at is not None:
        notes.append(
            f"only the first {truncated_at} dated items are shown; narrow the filters to see the rest"
        )
    if undated:
        notes.append(f"{undated} undated item{'s' if undated != 1 else ''} omitted")
    return {
        "title": {"text": {"headline": html.escape(headline), "text": "; ".join(notes) + "."}},
        "events": slides,
    }


class TimelineJSRenderer(JSONRenderer):
    """`?format=timelinejs`: a TimelineJS3 document.

    Takes `{"results": [items], "undated": N, "truncated_at": M or None}` (or a bare list
    of items); any other data (an error body, say) is rendered as plain JSON.
    """

    media_type = "application/json"
    format = "timelinejs"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, list):
            data = {"results": data}
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = timelinejs_document(
                data["results"], undated=data.get("undated", 0), truncated_at=data.get("truncated_at")
            )
        return super().render(data, accepted_media_type, renderer_context)


class TimelineNDJSONRenderer(BaseRenderer):
    """`?format=ndjson`: every item of the timeline as one JSON document per line (newline-delimited JSON).

    Each line is the item's document exactly as the JSON pages carry it (`stream()`
    yields PostgreSQL's text, unparsed); inside a JSON document a line break can only
    be whitespace between tokens (one inside a string is escaped), so a space replaces it.
    """

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = "utf-8"
    filename = "timeline.ndjson"

    @classmethod
    def stream(cls, documents: Iterable[str]) -> Iterator[str]:
        for document in documents:
            yield document.replace("\n", " ") + "\n"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Errors are rendered as JSON by the view; a body given here is a list of documents.
        import json

        return "".join(self.stream(json.dumps(item) for item in data or [])).encode(self.charset)
