"""How the harness and bench.ab start this API: gunicorn as deployed, from this checkout or another."""

import sys
from pathlib import Path

from bench.targets import ours

URL = "postgres://bench@127.0.0.1:5999/corpus"


def test_this_checkout_is_served_by_this_python_with_its_production_config():
    argv, env = ours.server_command(8123, URL)

    assert argv == [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ours.APP_DIR / "gunicorn.conf.py"),
        "--chdir",
        str(ours.APP_DIR),
    ]
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
    assert env["DATABASE_URL"] == URL


def test_another_checkout_is_served_by_its_own_virtualenv_and_config():
    before = Path("/work/before")

    argv, env = ours.server_command(8123, URL, before, "/work/before/.venv/bin/python")

    assert argv == [
        "/work/before/.venv/bin/python",
        "-m",
        "gunicorn",
        "-c",
        "/work/before/gunicorn.conf.py",
        "--chdir",
        "/work/before",
    ]
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
