"""The one order of the timeline, as a unique text key per row that cursors can point at.

Timelines sort by start date, then precision (finer first: a day before the month that
contains it), then a stable tiebreaker. Each ordering builds `sort_key`, a string whose
byte order ("C" collation) is that order, ending in the row's id so no two rows tie.
Undated items (unknown precision) come last in both directions.
"""

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


def _date_text(field: str, fallback: str) -> Func:
    return Coalesce(
        Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField()), Value(fallback)
    )


def sort_key_expression(ordering: str, *, kind_tag: str = ""):
    """The `sort_key` expression for `ordering` (one of ORDERINGS); sort it descending for "-..." orderings.

    `kind_tag` separates rows of different tables in one stream (the timeline).
    """
    if ordering in ("date", "-date"):
        ascending = ordering == "date"
        parts = [
            # Unknown dates last in both directions.
            _date_text("date_start", "9999-12-31" if ascending else "0000-01-01"),
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


def with_sort_key(queryset: QuerySet, ordering: str, *, kind_tag: str = "") -> QuerySet:
    """`queryset` annotated with `sort_key` for `ordering` (relevance needs a `search_rank` annotation)."""
    return queryset.annotate(sort_key=sort_key_expression(ordering, kind_tag=kind_tag))


def is_descending(ordering: str) -> bool:
    return ordering.startswith("-") or ordering == "relevance"
