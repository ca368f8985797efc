"""Which processes build the intake pipeline at start (`events.intake.warming`)."""

import pytest

from events.intake import warming


@pytest.mark.parametrize(
    "argv, environ, setting, serving",
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, "auto", True),  # the autoreloader's child
        (["manage.py", "runserver"], {}, "auto", False),  # the reloader itself only watches files
        (["manage.py", "runserver", "--noreload"], {}, "auto", True),
        (["/app/.venv/bin/gunicorn", "-c", "gunicorn.conf.py", "timeline.wsgi"], {}, "auto", True),
        (["/usr/lib/python3/site-packages/gunicorn/__main__.py"], {}, "auto", True),
        (["manage.py", "migrate"], {}, "auto", False),
        (["manage.py", "ingest_article", "a.txt"], {}, "auto", False),
        (["/app/.venv/bin/pytest"], {}, "auto", False),
        (["manage.py", "migrate"], {}, "1", True),
        (["manage.py", "runserver", "--noreload"], {}, "0", False),
    ],
)
def test_who_warms_up(argv, environ, setting, serving):
    assert warming.is_serving(argv, environ, setting) is serving


def test_a_command_starts_no_thread():
    assert warming.start_if_serving(["manage.py", "check"], {}) is None


def test_the_warm_up_runs_in_a_thread():
    thread = warming.start_if_serving(["manage.py", "runserver", "--noreload"], {})
    assert thread is not None and thread.name == "intake-warm-up" and thread.daemon
    thread.join(timeout=60)
    assert not thread.is_alive()
