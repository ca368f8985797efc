"""Rate limits as deployed: several gunicorn workers behind a reverse proxy, counts shared by all.

Everything is a real process or socket on the loopback network: a throwaway PostgreSQL
server (tests/timeline/test_db_faults.py's), gunicorn with three sync workers and the
production settings (the database cache, or Redis with REDIS_URL; DJANGO_NUM_PROXIES=1),
and in front of it a
small reverse proxy that does what nginx's `proxy_add_x_forwarded_for` does: it appends
the address each request came from to X-Forwarded-For. Clients are told apart the way
the internet tells them apart, by their address: each connects to the proxy from its own
loopback address (127.0.0.2, 127.0.0.3, ...), so gunicorn sees every request come from
the proxy (127.0.0.1) and only the proxy's header names the client.

Which worker takes a request is the kernel's choice, and one worker may well take them
all. So each worker is replaced after MAX_REQUESTS requests (gunicorn's max_requests): a
client's ten requests are served by at least four processes, whatever the order, and
counts that added up only within one process could not pass. gunicorn's access log
records which process (pid) served each request, and each test checks that too.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.timeline.test_db_faults import (
    ROOT,
    Gunicorn,
    app_env,
    free_port,
    start_gunicorn,
    stop_gunicorn,
    throwaway_postgres,
)

WORKERS = 3
MAX_REQUESTS = 3  # per worker process, before gunicorn replaces it with a new one
USERNAME, PASSWORD = "proxy-editor", "the-editors-right-password"
API_LIMIT = 10  # anonymous API requests per minute, per client
# The access log: worker pid, method, path, status, and the X-Forwarded-For the proxy sent.
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s [%({x-forwarded-for}i)s]"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


# The proxy


class ForwardingProxy(ThreadingHTTPServer):
    """A reverse proxy on 127.0.0.1 in front of the app: each request is passed on with the
    address it came from appended to X-Forwarded-For, like nginx's
    `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`."""

    daemon_threads = True

    def __init__(self, app_port: int):
        self.app_port = app_port
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: ForwardingProxy

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.pop("X-Forwarded-For", None)
        claimed = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = (
            f"{claimed}, {self.client_address[0]}" if claimed else self.client_address[0]
        )
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.app_port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            reply = upstream.getresponse()
            content = reply.read()
        finally:
            upstream.close()
        self.send_response_only(reply.status, reply.reason)
        for name, value in reply.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, *args) -> None:
        pass


# Clients


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def send(
    proxy: ForwardingProxy, client: str, method: str, path: str, body: bytes | None = None, **headers
) -> Reply:
    """One request to the proxy from the loopback address `client`."""
    connection = http.client.HTTPConnection(*proxy.server_address[:2], timeout=60, source_address=(client, 0))
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        reply = connection.getresponse()
        return Reply(reply.status, reply.headers, reply.read())
    finally:
        connection.close()


def login(proxy: ForwardingProxy, client: str, password: str) -> int:
    """A browser's admin login from `client`: the form (for its CSRF token), then the POST; its status."""
    form = send(proxy, client, "GET", "/admin/login/")
    assert form.status == 200, form.body[:300]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1).decode()
    cookie = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"]).group(1)
    fields = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token}
    reply = send(
        proxy,
        client,
        "POST",
        "/admin/login/?next=/admin/",
        body=urlencode(fields).encode(),
        **{"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )
    return reply.status


def workers_that_served(access_log: Path, method: str, path: str, client: str) -> set[int]:
    """The pids of the workers whose access-log lines show `method path` for `client`."""
    pids = set()
    for line in access_log.read_text().splitlines():
        pid, verb, url, _status, forwarded = line.split(" ", 4)
        if verb == method and url == path and forwarded.strip("[]").split(",")[-1].strip() == client:
            pids.add(int(pid.strip("<>")))  # "<12345>"
    return pids


# Fixtures


@pytest.fixture(scope="module")
def postgres():
    """The module's PostgreSQL server, migrated, with an editor who may sign in to the admin."""
    with throwaway_postgres() as server:
        created = subprocess.run(
            [sys.executable, "manage.py", "createsuperuser", "--no-input", "--username", USERNAME],
            cwd=ROOT,
            env={
                **app_env(server),
                "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                "DJANGO_SUPERUSER_EMAIL": "e@example.org",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert created.returncode == 0, created.stderr
        yield server


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A throwaway Redis server on 127.0.0.1 (Debian's redis-server; CI installs it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    with (folder / "redis.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (
                    folder / "redis.log"
                ).read_text()
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def deploy(postgres, tmp_path):
    """Starts gunicorn (three workers, production settings, one trusted proxy) and the proxy in
    front of it, with `env` added to the app's environment; both are stopped after the test."""
    with postgres.connect(autocommit=True) as conn:  # no lockout or count left by an earlier test
        conn.execute("DELETE FROM axes_accessattempt")
        conn.execute("DELETE FROM timeline_cache")
    running: list[tuple[Gunicorn, ForwardingProxy]] = []

    def start(**env: str) -> tuple[Gunicorn, ForwardingProxy, Path]:
        access_log = tmp_path / "access.log"
        app = start_gunicorn(
            postgres,
            tmp_path / "gunicorn.log",
            workers=WORKERS,
            env={"DJANGO_NUM_PROXIES": "1", "API_ANON_THROTTLE_RATE": f"{API_LIMIT}/minute", **env},
            options=(
                *("--max-requests", str(MAX_REQUESTS)),
                *("--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT),
            ),
        )
        proxy = ForwardingProxy(app.port)
        running.append((app, proxy))
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        return app, proxy, access_log

    try:
        yield start
    finally:
        for app, proxy in running:
            proxy.shutdown()
            proxy.server_close()
            stop_gunicorn(app)


# The tests


def test_five_bad_passwords_lock_out_their_client_and_no_other(deploy, postgres):
    app, proxy, access_log = deploy()
    client_a, client_b = "127.0.0.2", "127.0.0.3"

    # Five wrong passwords from A at once, so that several workers take them.
    with ThreadPoolExecutor(5) as pool:
        failures = list(pool.map(lambda _: login(proxy, client_a, "a-wrong-guess"), range(5)))
    assert set(failures) <= {200, 429}, failures  # the form again, or already the lockout

    # A is locked out, even with the right password; B, behind the same proxy, signs in.
    assert login(proxy, client_a, PASSWORD) == 429
    assert login(proxy, client_b, PASSWORD) == 302
    assert login(proxy, client_a, PASSWORD) == 429

    # A's seven logins (and their forms) were served by at least five processes.
    assert len(workers_that_served(access_log, "POST", "/admin/login/", client_a)) >= 3
    # One count for A in the database every worker reads: five failures, and each refused try since.
    with postgres.connect(autocommit=True) as conn:
        counts = dict(
            conn.execute("SELECT host(ip_address), failures_since_start FROM axes_accessattempt").fetchall()
        )
    assert counts == {client_a: 7}


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_anonymous_api_limit_counts_each_client_across_workers(deploy, cache, request):
    """In the database cache (the default), and in Redis when REDIS_URL is set."""
    env = {"REDIS_URL": request.getfixturevalue("redis_url")} if cache == "redis" else {}
    app, proxy, access_log = deploy(**env)
    client_a, client_b = "127.0.0.4", "127.0.0.5"
    started = time.monotonic()

    statuses = [send(proxy, client_a, "GET", "/api/v1/actors/").status for _ in range(API_LIMIT)]
    refused = send(proxy, client_a, "GET", "/api/v1/actors/")
    # A made-up address in front of the proxy's entry does not make A someone else.
    disguised = send(proxy, client_a, "GET", "/api/v1/actors/", **{"X-Forwarded-For": "192.0.2.77"})
    other = send(proxy, client_b, "GET", "/api/v1/actors/")

    assert time.monotonic() - started < 50, "too slow to stay within the throttle's minute"
    assert statuses == [200] * API_LIMIT
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    assert disguised.status == 429
    assert other.status == 200
    assert len(workers_that_served(access_log, "GET", "/api/v1/actors/", client_a)) >= 4
