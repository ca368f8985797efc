#!/usr/bin/env python3
"""Keep an exact copy of the event timeline: a folder of JSON files, or tables in your PostgreSQL.

    pip install -r clients/requirements.txt
    python clients/timeline_sync.py --api https://timeline.example.org/api/v1/ --folder ./timeline
    python clients/timeline_sync.py --api ... --postgres postgresql://me@localhost/mirror --follow

The first run loads the dump (`/api/v1/dump/`: every record in one snapshot, and the
change feed's cursor at that snapshot), then follows the change feed (`/api/v1/changes/`)
from that cursor until it is caught up. Later runs only follow the feed. `--follow` keeps
following, asking every `--interval` seconds. A cursor the server no longer accepts (410
Gone: older than its retention) makes the client load the dump again, by itself.

What the copy holds:

- a folder: `KIND/SLUG.json` (kind: source, actor, conflict, event, statement), each the
  record's document exactly as its detail endpoint returns it, and `.timeline_sync/state.json`
  (the API and the cursor). A dump is loaded beside the copy and swapped in when complete.
- PostgreSQL: `timeline_record (kind, slug, document jsonb)` and `timeline_sync_state`;
  every page of the feed is applied in one transaction with its cursor, so the copy and
  its cursor always agree, and readers of the table never see half a page or half a dump.

Entries are applied in order: `upsert` writes the document, `delete` and `merge` remove
the record (a merge names the record it went `into`, which arrives as an upsert of its
own). Applying a page twice is harmless, so a run that stops half-way simply resumes.

With `--token` (or TIMELINE_TOKEN) the copy holds what that account may read, drafts
included where it has the view permission; without, published records only.

Standard library, plus `requests` (and `psycopg` for a PostgreSQL copy), pinned in
clients/requirements.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests

log = logging.getLogger("timeline_sync")

KINDS = ("source", "actor", "conflict", "event", "statement")
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
USER_AGENT = "timeline-sync/1"
TIMEOUT = (10, 300)  # seconds to connect, and between two reads of an answer
RETRIES = 8


class Gone(Exception):
    """The server no longer follows this cursor (410): load the dump again."""


class SyncError(Exception):
    """The server answered something this client cannot use; the message says what."""


# --- the API


class Api:
    """The timeline's API at `base` ("https://host/api/v1/"), as one client: retries, throttling, paging."""

    def __init__(self, base: str, token: str | None = None, page_size: int = 500):
        self.base = base if base.endswith("/") else base + "/"
        self.page_size = page_size
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    def _get(self, path: str, **kwargs) -> requests.Response:
        """GET with retries: 429 waits Retry-After, 5xx and network errors back off; other answers return."""
        for attempt in range(RETRIES):
            try:
                response = self.session.get(self.base + path, timeout=TIMEOUT, **kwargs)
            except requests.ConnectionError as error:
                wait = min(2**attempt, 60)
                log.warning("cannot reach %s (%s); again in %s s", self.base, error, wait)
                time.sleep(wait)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                wait = int(response.headers.get("Retry-After", "0") or 0) or min(2**attempt, 60)
                log.warning("%s answered %s; again in %s s", path, response.status_code, wait)
                response.close()
                time.sleep(wait)
                continue
            return response
        raise SyncError(f"{self.base}{path}: no usable answer after {RETRIES} tries")

    def dump(self) -> Iterator[dict]:
        """The dump's lines, parsed, streamed: the header first; raises SyncError if it was cut short."""
        response = self._get("dump/", stream=True)
        with contextlib.closing(response):
            if response.status_code != 200:
                raise SyncError(f"dump: {response.status_code} {response.text[:300]}")
            ended = False
            for number, raw in enumerate(response.iter_lines()):
                if not raw:
                    continue
                line = json.loads(raw)
                if number == 0 and "cursor" not in line:
                    raise SyncError("dump: the first line holds no cursor")
                if line.get("end"):
                    ended = True
                yield line
            if not ended:
                raise SyncError("dump: cut short (no end line); try again")

    def changes(self, after: str, etag: str | None = None) -> tuple[dict | None, str | None]:
        """The page of the feed after `after` (None when unchanged since `etag`), and its ETag."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._get(
            "changes/", params={"after": after, "page_size": self.page_size}, headers=headers
        )
        if response.status_code == 304:
            return None, etag
        if response.status_code == 410:
            raise Gone(response.json().get("detail", "cursor gone"))
        if response.status_code != 200:
            raise SyncError(f"changes: {response.status_code} {response.text[:300]}")
        return response.json(), response.headers.get("ETag")


def _checked(kind: str, slug: str) -> tuple[str, str]:
    """A record's kind and slug, refused unless they are safe as a file and a table key."""
    if kind not in KINDS or not SLUG.match(slug):
        raise SyncError(f"refusing a record named {kind!r}/{slug!r}")
    return kind, slug


# --- a folder of JSON files


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `path` so that a reader (or a crash) sees the old file or the new one, never half of one."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as file:
        file.write(data)
    os.replace(file.name, path)


class FolderCopy:
    """The copy as `folder/KIND/SLUG.json`, and its state in `folder/.timeline_sync/`."""

    def __init__(self, folder: Path, api: str):
        self.folder = folder
        self.api = api
        self.meta = folder / ".timeline_sync"
        self.meta.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.meta / "lock", "w")  # noqa: SIM115 (held for the process's life)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError(f"{folder} is being synced by another process") from None

    def cursor(self) -> str | None:
        state = self.meta / "state.json"
        if not state.exists():
            return None
        data = json.loads(state.read_text())
        if data.get("api") != self.api:
            raise SyncError(f"{self.folder} mirrors {data.get('api')}, not {self.api}: use another folder")
        return data["cursor"]

    def _save_cursor(self, cursor: str) -> None:
        _write_atomically(self.meta / "state.json", json.dumps({"api": self.api, "cursor": cursor}).encode())

    @staticmethod
    def _file(root: Path, kind: str, slug: str) -> Path:
        return root / kind / f"{slug}.json"

    @staticmethod
    def _encode(document: dict) -> bytes:
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()

    def load_dump(self, lines: Iterator[dict]) -> str:
        """Write the dump beside the copy, then swap it in: the copy changes only once it is complete."""
        incoming = self.meta / "incoming"
        shutil.rmtree(incoming, ignore_errors=True)
        for kind in KINDS:
            (incoming / kind).mkdir(parents=True)
        header = next(lines)
        count = 0
        for line in lines:
            if line.get("end"):
                if line["records"] != count:
                    raise SyncError(f"dump: {count} records read, its end line says {line['records']}")
                break
            kind, slug = _checked(line["kind"], line["slug"])
            self._file(incoming, kind, slug).write_bytes(self._encode(line["document"]))
            count += 1
        retired = self.meta / "retired"
        shutil.rmtree(retired, ignore_errors=True)
        retired.mkdir()
        for kind in KINDS:
            if (self.folder / kind).exists():
                os.replace(self.folder / kind, retired / kind)
            os.replace(incoming / kind, self.folder / kind)
        self._save_cursor(header["cursor"])
        shutil.rmtree(retired, ignore_errors=True)
        shutil.rmtree(incoming, ignore_errors=True)
        return header["cursor"]

    def apply(self, entries: list[dict], cursor: str) -> None:
        for entry in entries:
            kind, slug = _checked(entry["kind"], entry["slug"])
            path = self._file(self.folder, kind, slug)
            if entry["op"] == "upsert":
                path.parent.mkdir(exist_ok=True)
                _write_atomically(path, self._encode(entry["document"]))
            elif entry["op"] in ("delete", "merge"):
                path.unlink(missing_ok=True)
            else:
                raise SyncError(f"unknown op {entry['op']!r}")
        self._save_cursor(cursor)


# --- tables in PostgreSQL

SCHEMA = """
CREATE TABLE IF NOT EXISTS timeline_record (
    kind text NOT NULL,
    slug text NOT NULL,
    document jsonb NOT NULL,
    PRIMARY KEY (kind, slug)
);
CREATE TABLE IF NOT EXISTS timeline_sync_state (
    id int PRIMARY KEY CHECK (id = 1),
    api text NOT NULL,
    cursor text NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now()
);
"""


class PostgresCopy:
    """The copy as rows of `timeline_record`, with its cursor in `timeline_sync_state`, in one database."""

    LOCK = 7_355_608  # the advisory lock one syncer holds

    def __init__(self, dsn: str, api: str):
        import psycopg  # only this kind of copy needs it

        self.api = api
        self.conn = psycopg.connect(dsn)
        self.conn.execute(SCHEMA)
        self.conn.commit()
        locked = self.conn.execute("SELECT pg_try_advisory_lock(%s)", [self.LOCK]).fetchone()[0]
        self.conn.commit()
        if not locked:
            raise SyncError("this database is being synced by another process")

    def cursor(self) -> str | None:
        row = self.conn.execute("SELECT api, cursor FROM timeline_sync_state").fetchone()
        self.conn.commit()
        if row is None:
            return None
        if row[0] != self.api:
            raise SyncError(f"this database mirrors {row[0]}, not {self.api}")
        return row[1]

    def _save_cursor(self, cursor: str) -> None:
        self.conn.execute(
            "INSERT INTO timeline_sync_state (id, api, cursor) VALUES (1, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET api = EXCLUDED.api, cursor = EXCLUDED.cursor, synced_at = now()",
            [self.api, cursor],
        )

    def load_dump(self, lines: Iterator[dict]) -> str:
        """Replace every row with the dump's, in one transaction."""
        header = next(lines)
        count = 0
        with self.conn.transaction():
            self.conn.execute("DELETE FROM timeline_record")
            with self.conn.cursor().copy("COPY timeline_record (kind, slug, document) FROM STDIN") as copy:
                for line in lines:
                    if line.get("end"):
                        if line["records"] != count:
                            raise SyncError(
                                f"dump: {count} records read, its end line says {line['records']}"
                            )
                        break
                    kind, slug = _checked(line["kind"], line["slug"])
                    copy.write_row((kind, slug, json.dumps(line["document"], ensure_ascii=False)))
                    count += 1
            self._save_cursor(header["cursor"])
        return header["cursor"]

    def apply(self, entries: list[dict], cursor: str) -> None:
        with self.conn.transaction():
            for entry in entries:
                kind, slug = _checked(entry["kind"], entry["slug"])
                if entry["op"] == "upsert":
                    self.conn.execute(
                        "INSERT INTO timeline_record (kind, slug, document) VALUES (%s, %s, %s)"
                        " ON CONFLICT (kind, slug) DO UPDATE SET document = EXCLUDED.document",
                        [kind, slug, json.dumps(entry["document"], ensure_ascii=False)],
                    )
                elif entry["op"] in ("delete", "merge"):
                    self.conn.execute(
                        "DELETE FROM timeline_record WHERE kind = %s AND slug = %s", [kind, slug]
                    )
                else:
                    raise SyncError(f"unknown op {entry['op']!r}")
            self._save_cursor(cursor)


# --- syncing


def sync(api: Api, copy: FolderCopy | PostgresCopy, *, follow: bool = False, interval: float = 30) -> str:
    """Bring `copy` up to date (loading the dump first if it has no cursor); returns the last cursor.

    With `follow`, keeps asking every `interval` seconds once caught up, until interrupted.
    """
    cursor = copy.cursor()
    if cursor is None:
        log.info("no copy yet: loading the dump")
        cursor = copy.load_dump(api.dump())
    etag = None
    applied = 0
    while True:
        try:
            page, etag = api.changes(cursor, etag)
        except Gone as gone:
            log.warning("%s: loading the dump again", gone)
            cursor = copy.load_dump(api.dump())
            etag = None
            continue
        if page is not None:
            if page["results"]:
                copy.apply(page["results"], page["cursor"])
                applied += len(page["results"])
            elif page["cursor"] != cursor:
                copy.apply([], page["cursor"])
            cursor = page["cursor"]
            if page["more"]:
                etag = None
                continue
        if not follow:
            log.info("caught up (%d entries applied)", applied)
            return cursor
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--api", required=True, help="The API's root, e.g. https://timeline.example.org/api/v1/"
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", type=Path, help="Mirror into this folder of JSON files.")
    where.add_argument("--postgres", help="Mirror into this PostgreSQL database (a postgresql:// URL).")
    parser.add_argument(
        "--token", default=os.environ.get("TIMELINE_TOKEN"), help="An API token (or TIMELINE_TOKEN)."
    )
    parser.add_argument("--follow", action="store_true", help="Keep following the feed once caught up.")
    parser.add_argument(
        "--interval", type=float, default=30, help="Seconds between polls with --follow (30)."
    )
    parser.add_argument("--page-size", type=int, default=500, help="Entries per page of the feed (1-500).")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    api = Api(args.api, token=args.token, page_size=args.page_size)
    try:
        copy = FolderCopy(args.folder, api.base) if args.folder else PostgresCopy(args.postgres, api.base)
        sync(api, copy, follow=args.follow, interval=args.interval)
    except SyncError as error:
        print(f"timeline_sync: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
