"""The one order of the timeline, as a unique text key per row that cursors can point at.

Timelines sort by start date, then precision (finer first: a day before the month that
contains it), then a stable tiebreaker. Each ordering builds `sort_key`, a string whose
byte order ("C" collation) is that order, ending in the row's id so no two rows tie.
Undated items (unknown precision) come last in both directions.
"""

import datetime

from django.db.models import Case, CharField, F, Func, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Collate, Concat, LPad

from events.dates import PRECISION_RANK

ORDERINGS = ("date", "-date", "updated", "-updated", "relevance")

_PRECISION_RANK = Case(
    *(When(date_precision=str(p), then=Value(rank)) for p, rank in PRECISION_RANK.items()),
    output_field=IntegerField(),
)


def _text(expression) -> Cast:
    return Cast(expression, output_field=CharField())


def _padded(expression, width: int = 20) -> LPad:
    return LPad(_text(expression), width, Value("0"))


EPOCH = datetime.date(1, 1, 1)


def day_key(day: datetime.date) -> str:
    """The prefix of the date keys of items starting on `day` (what `_day_number` writes)."""
    return f"{(day - EPOCH).days:07d}"


def _day_number(field: str, fallback: str) -> Coalesce:
    """The date as its day number since 0001-01-01, zero-padded to 7 digits (so text order is date order).

    Not to_char(): that depends on settings, so PostgreSQL will not store or index it;
    date subtraction and integer text are immutable, so the key can be a stored column.
    """
    days = Func(F(field), template="(%(expressions)s - DATE '0001-01-01')", output_field=IntegerField())
    return Coalesce(_padded(days, 7), Value(fallback))


def sort_key_expression(ordering: str, *, kind_tag: str = ""):
    """The `sort_key` expression for `ordering` (one of ORDERINGS); sort it descending for "-..." orderings.

    `kind_tag` separates rows of different tables in one stream (the timeline).
    """
    if ordering in ("date", "-date"):
        ascending = ordering == "date"
        parts = [
            # Unknown dates last in both directions ("-" sorts before every digit).
            _day_number("date_start", "9999999" if ascending else "-"),
            Value("|"),
            # Finer first in both directions: descending order flips the rank.
            _text(_PRECISION_RANK if ascending else Value(9) - _PRECISION_RANK),
        ]
    elif ordering in ("updated", "-updated"):
        parts = [
            Func(
                F("updated_at"),
                Value('YYYY-MM-DD"T"HH24:MI:SS.US'),
                function="to_char",
                output_field=CharField(),
            )
        ]
    elif ordering == "relevance":
        parts = [_padded(Cast(F("search_rank") * Value(1e9), output_field=IntegerField()), 12)]
    else:  # pragma: no cover - callers validate the ordering first
        raise ValueError(f"unknown ordering {ordering!r}")
    parts += [Value("|"), Value(kind_tag), _padded(F("pk"))]
    return Collate(Concat(*parts, output_field=CharField()), "C")


# The date orderings are stored, indexed columns of events and statements (see the models):
# a page is then an index range scan however deep the cursor.
STORED_KEYS = {"date": "date_key", "-date": "date_key_desc"}


def with_sort_key(queryset: QuerySet, ordering: str, *, kind_tag: str = "") -> QuerySet:
    """`queryset` annotated with `sort_key` for `ordering` (relevance needs a `search_rank` annotation).

    For the date orderings of events and statements the stored key is used; its kind tag
    is the model's own ("e" or "s"), which `kind_tag` must then match.
    """
    stored = STORED_KEYS.get(ordering)
    if stored and any(field.name == stored for field in queryset.model._meta.concrete_fields):
        return queryset.annotate(sort_key=F(stored))
    return queryset.annotate(sort_key=sort_key_expression(ordering, kind_tag=kind_tag))


def is_descending(ordering: str) -> bool:
    return ordering.startswith("-") or ordering == "relevance"
