"""Which processes build the intake pipeline in advance, and when (`events.intake.warming`)."""

import gc
import sys

import pytest

from events.intake import warming

GUNICORN = ["/app/.venv/bin/gunicorn", "-c", "gunicorn.conf.py", "timeline.wsgi"]


@pytest.mark.parametrize(
    "argv, environ, setting, at_start",
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, "auto", True),  # the autoreloader's child
        (["manage.py", "runserver"], {}, "auto", False),  # the reloader itself only watches files
        (["manage.py", "runserver", "--noreload"], {}, "auto", True),
        (GUNICORN, {}, "auto", False),  # a worker builds it when it serves "Add an article"
        (["/usr/lib/python3/site-packages/gunicorn/__main__.py"], {}, "auto", False),
        (GUNICORN, {}, "1", True),
        (["manage.py", "migrate"], {}, "auto", False),
        (["manage.py", "ingest_article", "a.txt"], {}, "auto", False),
        (["/app/.venv/bin/pytest"], {}, "auto", False),
        (["manage.py", "migrate"], {}, "yes", True),
        (["manage.py", "runserver", "--noreload"], {}, "0", False),
    ],
)
def test_who_warms_up_at_start(argv, environ, setting, at_start):
    assert warming.warms_at_start(argv, environ, setting) is at_start


@pytest.mark.parametrize(
    "argv, gunicorn",
    [
        (GUNICORN, True),
        (["/usr/lib/python3/site-packages/gunicorn/__main__.py"], True),
        (["manage.py", "runserver", "--noreload"], False),
        (["/app/.venv/bin/pytest"], False),
    ],
)
def test_only_gunicorn_workers_build_on_demand(argv, gunicorn):
    assert warming.is_gunicorn(argv) is gunicorn


def test_a_command_starts_no_thread():
    assert warming.start_if_serving(["manage.py", "check"], {}) is None
    assert warming.start_on_demand(["manage.py", "check"]) is None


def test_a_process_builds_once_in_a_thread_and_freezes_what_it_made(monkeypatch):
    built = []
    monkeypatch.setattr(warming, "_started", warming.threading.Event())
    monkeypatch.setattr("events.intake.propose.warm_up", lambda: built.append(True))
    frozen_before = gc.get_freeze_count()
    monkeypatch.setattr(gc, "freeze", lambda: built.append("frozen"))

    assert warming.start_on_demand(GUNICORN, "0") is None
    thread = warming.start_on_demand(GUNICORN, "auto")
    assert thread is not None and thread.name == "intake-warm-up" and thread.daemon
    thread.join(timeout=60)
    assert built == [True, "frozen"]
    # A second "Add an article" in the same worker, or the start hook, builds nothing more.
    assert warming.start_on_demand(GUNICORN, "auto") is None
    assert warming.start_if_serving(["manage.py", "runserver", "--noreload"], {}) is None
    assert built == [True, "frozen"] and gc.get_freeze_count() == frozen_before


def test_the_real_build_runs_in_a_thread_for_a_development_server(monkeypatch):
    monkeypatch.setattr(warming, "_started", warming.threading.Event())
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the test process keeps collecting
    thread = warming.start_if_serving(["manage.py", "runserver", "--noreload"], {})
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert "spacy" in sys.modules


def test_loading_the_admin_does_not_import_spacy():
    """The pipeline is imported when an article is taken in, not with the admin."""
    import subprocess

    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'timeline.settings'); "
        "django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "import events.admin, events.admin_intake; print('spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
