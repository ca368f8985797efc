"""A consistent dump: every record a reader may see, read in one snapshot, as NDJSON, with the feed's cursor.

Lines, each one JSON object:

1. `{"dump": "event timeline", "format": 1, "cursor": ..., "drafts": [...], "taken_at": ...}`:
   the change feed's cursor at which the snapshot stands. Following the feed from it
   gives every change the dump does not hold and none that it does: the cursor carries
   the snapshot's in-progress transactions, which a plain position could not.
2. One line per record, `{"kind": "actor", "slug": ..., "document": {...}}`, the document
   exactly as the record's detail endpoint returns it; sources, actors, conflicts,
   events, then statements.
3. `{"end": true, "records": N}`: a dump without it was cut short.

The whole dump is one SQL statement (one snapshot, whatever the isolation level), read
through a server-side cursor in batches: memory stays constant however large the
database. Documents are the detail endpoints' own SQL (`with_documents`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from events.api.documents import with_documents
from events.changes.cursor import Cursor, Position
from events.changes.feed import DATABASE, VISIBLE, reader_drafts
from events.changes.kinds import KINDS

FORMAT = 1
BATCH = 250  # rows fetched at a time: a few hundred kilobytes of documents
PIECE = 256 * 1024  # characters gathered before a piece is handed to the server


@dataclass(frozen=True)
class SiteRoot:
    """Stands for a request where documents are built outside one: their URLs start with `origin`."""

    origin: str  # "https://timeline.example.org"

    def build_absolute_uri(self, path: str) -> str:
        return self.origin.rstrip("/") + path


def _statement(user, request) -> tuple[str, list]:
    branches, params = [], []
    for kind in KINDS:
        queryset = VISIBLE[kind.name](user=user).order_by()  # in table order: no sort of the whole table
        rows = with_documents(queryset, request, kind.shape, key=F("slug"))
        text, values = rows.query.sql_with_params()
        branches.append(f"SELECT '{kind.name}'::text AS kind, d.key AS slug, d.document FROM ({text}) d")
        params += values
    union = " UNION ALL ".join(branches)
    text = (
        f"WITH snap AS MATERIALIZED (SELECT pg_current_snapshot()::text AS snapshot, {DATABASE} AS database)"
        f" SELECT snap.snapshot, snap.database, records.kind, records.slug, records.document"
        f" FROM snap LEFT JOIN LATERAL ({union}) records ON true"
    )
    return text, params


def snapshot_cursor(snapshot: str, *, database: int, drafts: tuple[str, ...]) -> Cursor:
    """The feed's cursor at a snapshot ("xmin:xmax:xip,..."): what it saw has been read, nothing else."""
    xmin, xmax, in_progress = snapshot.split(":")
    pending = tuple(sorted(int(xid) for xid in in_progress.split(",") if xid))
    if not pending:
        return Cursor(database=database, drafts=drafts, after=Position(int(xmax)))
    return Cursor(
        database=database, drafts=drafts, after=Position(int(xmin)), xmax=int(xmax), pending=pending
    )


def dump_lines(*, user, request, using: str = "default") -> Iterator[str]:
    """The dump's lines (each ending in a newline) for `user`, documents' URLs made absolute for `request`."""
    drafts = reader_drafts(user)
    text, params = _statement(user, request)
    with transaction.atomic(using=using):  # a server-side cursor lives in a transaction
        with connections[using].chunked_cursor() as db:
            db.execute(text, params)
            count = 0
            first = True
            while rows := db.fetchmany(BATCH):
                if first:
                    snapshot, database = rows[0][0], rows[0][1]
                    cursor = snapshot_cursor(snapshot, database=database, drafts=drafts)
                    header = {
                        "dump": "event timeline",
                        "format": FORMAT,
                        "cursor": cursor.encode(),
                        "drafts": list(drafts),
                        "taken_at": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
                    }
                    yield json.dumps(header) + "\n"
                    first = False
                for _, _, kind, slug, document in rows:
                    if kind is None:
                        continue  # the one row of a database with no records
                    count += 1
                    yield f'{{"kind":{json.dumps(kind)},"slug":{json.dumps(slug)},"document":{document}}}\n'
            yield json.dumps({"end": True, "records": count}) + "\n"


def pieces(lines: Iterable[str], size: int = PIECE) -> Iterator[bytes]:
    """Lines gathered into pieces of about `size` characters, UTF-8: fewer, larger writes."""
    piece: list[str] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            yield "".join(piece).encode()
            piece, length = [], 0
    if piece:
        yield "".join(piece).encode()


def gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The gzip stream of `chunks`, compressed as they come (level 6: most of the gain, a fraction of 9's time)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip container
    for chunk in chunks:
        compressed = compressor.compress(chunk)
        if compressed:
            yield compressed
    yield compressor.flush()
