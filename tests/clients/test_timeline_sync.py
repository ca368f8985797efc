"""The reference client, end to end: a live server, a few hundred random changes, and copies identical to a fresh dump.

Everything is real: gunicorn (three workers, so writes really run in concurrent
transactions) serving a database of its own on the PostgreSQL the tests use, the client
run as a user runs it (`python clients/timeline_sync.py`), into a folder (anonymously and
as an editor, who sees drafts) and into another PostgreSQL database. Then, while the
copies sync now and then: creates, edits, renames (of names and of slugs), publishing,
unpublishing and deletes through the API from four threads at once, and merges, review
steps, participant changes, source renames and deliberately overlapping transactions
through the admin's services in another process. After a last sync each copy must equal
a fresh dump, record for record; the test names every record that differs. Finally the
log is pruned under the client's cursor: it must load the dump again by itself.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from psycopg import sql

from events.excerpts import locate_excerpt
from tests.deploy.test_container import clean_env, database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "timeline_sync.py"
SOURCE = "bloomberg-2017-03-03-russia-urges-trump"
START_WAIT = 120
API_CHANGES = 240  # through the API; the services driver adds SERVICE_CHANGES more
SERVICE_CHANGES = 70
ROUTES = {
    "source": "sources",
    "actor": "actors",
    "conflict": "conflicts",
    "event": "events",
    "statement": "statements",
}


@dataclass
class Live:
    base: str  # http://127.0.0.1:PORT
    token: str
    env: dict[str, str]
    database: dict
    mirror: dict
    log: Path

    @property
    def api(self) -> str:
        return f"{self.base}/api/v1/"

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


def _server(django_db_blocker) -> dict:
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()  # the embedded backend fills in HOST and PORT here
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": int(settings["PORT"] or 5432),
        "user": settings["USER"] or "postgres",
        "password": settings["PASSWORD"] or None,
    }


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn serving a new database (migrated, the seeds loaded, a superuser with a token), and an empty one."""
    server = _server(django_db_blocker)
    suffix = uuid.uuid4().hex[:10]
    names = [f"sync_live_{suffix}", f"sync_mirror_{suffix}"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        for name in names:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    port = free_port()
    database = {**server, "dbname": names[0]}
    env = clean_env(
        DATABASE_URL=database_url(database),
        DJANGO_SECRET_KEY="sync-test-secret-key-not-for-any-deployment",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_LOG_REQUESTS="0",
        DJANGO_SUPERUSER_PASSWORD="sync-test-password",
        API_ANON_THROTTLE_RATE="1000000/minute",
        CHANGES_DUMP_ANON_RATE="1000/minute",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="3",
        GUNICORN_ACCESS_LOG="",
    )
    log = tmp_path_factory.mktemp("live") / "server.log"
    live = Live(f"http://127.0.0.1:{port}", "", env, database, {**server, "dbname": names[1]}, log)
    live.manage("migrate", "--no-input", "-v", "0")
    live.manage("load_seeds")
    live.manage("createsuperuser", "--no-input", "--username", "e2e", "--email", "e2e@example.invalid")
    live.token = re.search(r"Generated token (\w+)", live.manage("drf_create_token", "e2e")).group(1)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "timeline.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_WAIT
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if requests.get(f"{live.base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.25)
        yield live
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            for name in names:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --- the client and the copies


def run_client(live: Live, *target: str, token: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, str(CLIENT), "--api", live.api, *target, "--page-size", "7", "--verbose"]
    if token:
        command += ["--token", live.token]
    result = subprocess.run(command, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def folder_copy(folder: Path) -> dict[tuple[str, str], dict]:
    return {
        (path.parent.name, path.stem): json.loads(path.read_text())
        for kind in ROUTES
        for path in sorted((folder / kind).glob("*.json"))
    }


def postgres_copy(params: dict) -> dict[tuple[str, str], dict]:
    with psycopg.connect(**params) as conn:
        rows = conn.execute("SELECT kind, slug, document::text FROM timeline_record").fetchall()
    return {(kind, slug): json.loads(document) for kind, slug, document in rows}


def fresh_dump(live: Live, token: bool = False) -> dict[tuple[str, str], dict]:
    headers = {"Authorization": f"Token {live.token}"} if token else {}
    response = requests.get(f"{live.api}dump/", headers={**headers, "Accept-Encoding": "gzip"}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[-1] == {"end": True, "records": len(lines) - 2}
    return {(line["kind"], line["slug"]): line["document"] for line in lines[1:-1]}


def _first_difference(copy, truth, path: str = "") -> str:
    if isinstance(copy, dict) and isinstance(truth, dict):
        for key in sorted(copy.keys() | truth.keys()):
            if copy.get(key, "<missing>") != truth.get(key, "<missing>"):
                return _first_difference(
                    copy.get(key, "<missing>"), truth.get(key, "<missing>"), f"{path}.{key}"
                )
    if isinstance(copy, list) and isinstance(truth, list) and len(copy) == len(truth):
        for index, (left, right) in enumerate(zip(copy, truth, strict=True)):
            if left != right:
                return _first_difference(left, right, f"{path}[{index}]")
    return f"{path or 'document'}: copy has {json.dumps(copy)[:120]}, the dump {json.dumps(truth)[:120]}"


def differences(copy: dict, truth: dict) -> list[str]:
    """What differs between a copy and a dump, one line per record: missing, extra, or the first differing field."""
    found = [f"missing {kind}/{slug}" for kind, slug in sorted(truth.keys() - copy.keys())]
    found += [f"extra {kind}/{slug}" for kind, slug in sorted(copy.keys() - truth.keys())]
    found += [
        f"differs {kind}/{slug}: {_first_difference(copy[(kind, slug)], truth[(kind, slug)])}"
        for kind, slug in sorted(copy.keys() & truth.keys())
        if copy[(kind, slug)] != truth[(kind, slug)]
    ]
    return found


# --- random changes through the API


class Writer:
    """Random creates, edits, renames, review moves and deletes through the API, as the superuser."""

    def __init__(self, live: Live, seed: int, excerpts: list[str]):
        self.live = live
        self.rng = random.Random(seed)
        self.excerpts = excerpts
        self.lock = threading.Lock()
        self.counter = 0
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.headers["Authorization"] = f"Token {self.live.token}"
        return self.local.session

    def call(self, name: str, method: str, path: str, body: dict | None = None) -> requests.Response:
        response = self.session().request(method, f"{self.live.api}{path}", json=body, timeout=60)
        with self.lock:
            self.statuses[(name, response.status_code)] += 1
        # 400 only when a record it named was deleted or merged meanwhile by another writer.
        vanished = response.status_code == 400 and re.search(
            r"does not exist|violates foreign key", response.text
        )
        assert response.status_code in (200, 201, 204, 404, 409, 500) or vanished, (name, response.text)
        return response

    def slugs(self, route: str) -> list[str]:
        """Every record of a list, drafts included (the superuser sees them)."""
        page = self.session().get(f"{self.live.api}{route}/", params={"page_size": 500}, timeout=60)
        return [item["slug"] for item in page.json()["results"]]

    def fresh(self, prefix: str) -> str:
        with self.lock:
            self.counter += 1
            return f"e2e-{prefix}-{self.counter}"

    def citation(self, rng) -> list[dict]:
        return [{"source": SOURCE, "excerpt": rng.choice(self.excerpts)}]

    def one(self, rng: random.Random) -> None:
        actors, events, statements = self.slugs("actors"), self.slugs("events"), self.slugs("statements")
        conflicts = self.slugs("conflicts")
        operation = rng.choices(
            ["create event", "create statement", "create actor", "create conflict", "edit event", "edit statement",
             "rename actor", "reslug actor", "rename conflict", "publish", "unpublish", "delete event",
             "delete statement", "delete actor"],
            [14, 10, 8, 3, 12, 8, 8, 3, 3, 8, 6, 4, 4, 3],
        )[0]  # fmt: skip
        status = rng.choice(["draft", "reviewed", "published", "published"])
        if operation == "create event":
            cast = rng.sample(actors, 2)
            self.call(operation, "POST", "events/", {
                "slug": self.fresh("event"), "title": f"Talks {rng.randint(1, 9999)}", "type": "talks",
                "date": {"text": rng.choice(["on Thursday", "in December", "this week", "not stated"])},
                "participants": [{"actor": cast[0], "role": "host"}, {"actor": cast[1], "role": "guest"}],
                "conflicts": rng.sample(conflicts, rng.randint(0, 1)), "citations": self.citation(rng),
                "status": status,
            })  # fmt: skip
        elif operation == "create statement":
            self.call(operation, "POST", "statements/", {
                "slug": self.fresh("statement"), "speaker": rng.choice(actors), "kind": "paraphrase",
                "text": f"Claim number {rng.randint(1, 9999)}", "date": {"text": "said Friday"},
                "about": rng.sample(actors, rng.randint(0, 2)), "conflicts": rng.sample(conflicts, rng.randint(0, 1)),
                "occasion": rng.choice([None, *events]), "citations": self.citation(rng), "status": status,
            })  # fmt: skip
        elif operation == "create actor":
            self.call(operation, "POST", "actors/", {
                "slug": self.fresh("actor"), "name": f"Actor {rng.randint(1, 9999)}",
                "kind": rng.choice(["person", "state"]), "affiliation": rng.choice([None, *actors]),
            })  # fmt: skip
        elif operation == "create conflict":
            self.call(operation, "POST", "conflicts/", {
                "slug": self.fresh("conflict"), "name": f"Crisis {rng.randint(1, 9999)}",
                "parties": rng.sample(actors, 2),
            })  # fmt: skip
        elif operation == "edit event":
            change = rng.choice([
                {"title": f"Retitled {rng.randint(1, 9999)}"},
                {"participants": [{"actor": actor, "role": "party"} for actor in rng.sample(actors, 2)]},
                {"conflicts": rng.sample(conflicts, 1)},
            ])  # fmt: skip
            self.call(operation, "PATCH", f"events/{rng.choice(events)}/", change)
        elif operation == "edit statement":
            change = rng.choice([{"about": rng.sample(actors, 1)}, {"speaker": rng.choice(actors)}])
            self.call(operation, "PATCH", f"statements/{rng.choice(statements)}/", change)
        elif operation == "rename actor":
            self.call(
                operation,
                "PATCH",
                f"actors/{rng.choice(actors)}/",
                {"name": f"Renamed {rng.randint(1, 9999)}"},
            )
        elif operation == "reslug actor":
            self.call(operation, "PATCH", f"actors/{rng.choice(actors)}/", {"slug": self.fresh("reslugged")})
        elif operation == "rename conflict":
            self.call(
                operation,
                "PATCH",
                f"conflicts/{rng.choice(conflicts)}/",
                {"name": f"Crisis {rng.random():.5f}"},
            )
        elif operation in ("publish", "unpublish"):
            route = rng.choice(["events", "statements"])
            slug = rng.choice(events if route == "events" else statements)
            self.call(
                operation,
                "PATCH",
                f"{route}/{slug}/",
                {"status": "published" if operation == "publish" else "reviewed"},
            )
        elif operation == "delete event":
            self.call(
                operation,
                "DELETE",
                f"events/{rng.choice([e for e in events if e.startswith('e2e-')] or events)}/",
            )
        elif operation == "delete statement":
            self.call(operation, "DELETE", f"statements/{rng.choice(statements)}/")
        elif operation == "delete actor":
            self.call(operation, "DELETE", f"actors/{rng.choice(actors)}/")  # a 409 when others refer to it

    def run(self, count: int, threads: int = 4) -> None:
        seeds = [self.rng.randrange(2**32) for _ in range(count)]
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda seed: self.one(random.Random(seed)), seeds))


def unique_excerpts(live: Live) -> list[str]:
    """Sentences of the seed article that occur once in it, outside its page furniture: valid citations."""
    source = requests.get(f"{live.api}sources/{SOURCE}/", timeout=30).json()
    found = []
    for sentence in re.split(r"(?<=[.”])\s+", source["text"]):
        sentence = sentence.strip()
        if len(sentence) < 40 or source["text"].count(sentence) != 1:
            continue
        try:
            locate_excerpt(source["text"], sentence, furniture=source["furniture"])
        except ValueError:
            continue
        found.append(sentence)
    assert len(found) > 10
    return found


def test_copies_kept_by_the_client_equal_a_fresh_dump_through_every_kind_of_change(live, tmp_path):
    anonymous, editor = tmp_path / "anonymous", tmp_path / "editor"
    mirror = database_url(live.mirror).replace("postgres://", "postgresql://")

    def sync_all() -> None:
        run_client(live, "--folder", str(anonymous))
        run_client(live, "--folder", str(editor), token=True)
        run_client(live, "--postgres", mirror)

    sync_all()  # the first runs load the dump
    assert differences(folder_copy(anonymous), fresh_dump(live)) == []
    assert len(folder_copy(anonymous)) == 49

    writer = Writer(live, seed=20261201, excerpts=unique_excerpts(live))
    services = subprocess.Popen(
        [sys.executable, "-m", "tests.clients.live_services", "--seed", "7", "--operations", str(SERVICE_CHANGES)],
        cwd=ROOT, env=live.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    syncing = threading.Event()

    def sync_meanwhile():
        while not syncing.wait(1.5):
            sync_all()  # cursors handed out while writers are busy

    syncer = threading.Thread(target=sync_meanwhile)
    syncer.start()
    try:
        writer.run(API_CHANGES)
        output, errors = services.communicate(timeout=600)
    finally:
        syncing.set()
        syncer.join()
    assert services.returncode == 0, errors
    made = json.loads(output)

    sync_all()
    assert differences(folder_copy(anonymous), fresh_dump(live)) == []
    assert differences(folder_copy(editor), fresh_dump(live, token=True)) == []
    assert differences(postgres_copy(live.mirror), fresh_dump(live)) == []

    # Every kind of change happened, and every failure was one the API promises.
    done = Counter()
    for (name, status), count in writer.statuses.items():
        done[name] += count if status in (200, 201, 204) else 0
    assert all(done[name] > 0 for name in ["create event", "create statement", "create actor", "edit event",
                                           "rename actor", "reslug actor", "publish", "unpublish", "delete event",
                                           "delete statement"]), done  # fmt: skip
    assert made["merge"] > 0 and made["review.publish"] > 0 and made["review.unpublish"] > 0, made
    assert made["overlapping, committed out of start order"] > 0, made
    assert sum(done.values()) + sum(made.values()) > 250
    # A 500 only where PostgreSQL aborted one of two deadlocked writers (the editor saves again).
    errors_logged = [
        json.loads(line)
        for line in live.log.read_text(errors="replace").splitlines()
        if '"exception"' in line
    ]
    assert [
        error["exception"][-300:] for error in errors_logged if "DeadlockDetected" not in error["exception"]
    ] == []
    assert sum(count for (_, status), count in writer.statuses.items() if status == 500) == len(errors_logged)

    # A change the client has not read, then the log pruned past it: the client's cursor is
    # answered 410, and the client loads the dump again by itself. The actor is one that is
    # there now: the random changes may have merged or re-slugged any seeded one.
    actor = min(slug for kind, slug in fresh_dump(live) if kind == "actor")
    patched = requests.patch(f"{live.api}actors/{actor}/", json={"description": "pruned before it was read"},
                             headers={"Authorization": f"Token {live.token}"}, timeout=30)  # fmt: skip
    assert patched.status_code == 200, patched.text
    live.manage("prune_changes", "--days", "0")
    result = run_client(live, "--folder", str(anonymous))
    assert "this cursor is older than the change log keeps" in result.stderr
    assert "loading the dump again" in result.stderr
    assert folder_copy(anonymous)[("actor", actor)]["description"] == "pruned before it was read"
    assert differences(folder_copy(anonymous), fresh_dump(live)) == []


def test_the_difference_report_names_each_record_and_field():
    truth = {("actor", "a"): {"name": "A", "citations": [{"start": 1}]}, ("actor", "b"): {"name": "B"}}
    copy = {("actor", "a"): {"name": "A", "citations": [{"start": 2}]}, ("actor", "c"): {"name": "C"}}
    assert differences(copy, truth) == [
        "missing actor/b",
        "extra actor/c",
        "differs actor/a: .citations[0].start: copy has 2, the dump 1",
    ]


def test_the_client_refuses_a_dump_cut_short(tmp_path):
    sys.path.insert(0, str(CLIENT.parent))
    try:
        import timeline_sync
    finally:
        sys.path.remove(str(CLIENT.parent))
    copy = timeline_sync.FolderCopy(tmp_path, "http://example.invalid/api/v1/")
    lines = iter(
        [{"cursor": "c"}, {"kind": "actor", "slug": "a", "document": {}}, {"end": True, "records": 2}]
    )
    with pytest.raises(timeline_sync.SyncError, match="1 records read, its end line says 2"):
        copy.load_dump(lines)
    assert copy.cursor() is None
    with pytest.raises(timeline_sync.SyncError, match="refusing a record named 'actor'/'../etc'"):
        timeline_sync._checked("actor", "../etc")
