"""Two statements of one rule cannot drift apart unnoticed.

- The date shapes `events.dates` states in Python and the check constraints PostgreSQL
  enforces accept and refuse the same (start, end, precision): a hypothesis property.
- The models and the migrations agree (`makemigrations --check`): a trigger generated from
  a shape that changed without a migration fails here.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.dates import Precision, bounds_for, shape_error
from events.models import Event

pytestmark = pytest.mark.usefixtures("seeded")

days = st.dates(min_value=datetime.date(1, 1, 8), max_value=datetime.date(9999, 12, 24))


@st.composite
def date_ranges(draw) -> tuple[datetime.date | None, datetime.date | None, str]:
    """(start, end, precision): often a period's exact bounds, often nearly so, sometimes missing."""
    precision = draw(st.sampled_from([p.value for p in Precision]))
    day = draw(days)
    base = draw(st.sampled_from([p for p in Precision if p is not Precision.UNKNOWN]))
    start, end = bounds_for(base, day)
    start += datetime.timedelta(days=draw(st.sampled_from([0, 0, 0, -1, 1, -7])))
    end += datetime.timedelta(days=draw(st.sampled_from([0, 0, 0, -1, 1, 7])))
    if draw(st.booleans()) and draw(st.booleans()):
        start, end = draw(st.sampled_from([(None, None), (start, None), (None, end), (end, start)]))
    return start, end, precision


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(date_ranges())
@example((datetime.date(2016, 12, 1), datetime.date(2016, 12, 31), "month"))
@example((datetime.date(2016, 12, 2), datetime.date(2016, 12, 31), "month"))
@example((datetime.date(2017, 2, 27), datetime.date(2017, 3, 5), "week"))
@example((None, None, "unknown"))
@example((datetime.date(2017, 3, 2), None, "day"))
def test_python_and_postgresql_accept_and_refuse_the_same_date_shapes(date_range):
    start, end, precision = date_range
    python_accepts = shape_error(start, end, precision) is None
    try:
        with transaction.atomic():
            Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").update(
                date_start=start, date_end=end, date_precision=precision
            )
            database_accepts = True
            transaction.set_rollback(True)
    except IntegrityError:
        database_accepts = False

    assert python_accepts == database_accepts, (start, end, precision, shape_error(start, end, precision))


def test_the_models_and_the_migrations_agree():
    # Exits 1 (SystemExit) when a model, or a trigger generated from a shape, has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_no_api_path_is_written_out_in_migrations_the_synthetic_loader_or_stored_lists():
    """URLs come from the URLconf: a stored list holds them relative to the API's root."""
    from django.conf import settings
    from django.db import connection

    root = settings.BASE_DIR / "events"
    written = [root / "seeding" / "synthetic.py", *sorted((root / "migrations").glob("*.py"))]
    assert [path.name for path in written if "/api/v1/" in path.read_text()] == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE (participants_json::text || conflicts_json::text"
            " || citations_json::text) LIKE '%%/api/%%') FROM events_event"
        )
        assert cursor.fetchone() == (9, 0)
