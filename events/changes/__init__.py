"""The change log and its feed: how a downstream copy of the timeline stays exact.

- `models`: the log (one row per record a transaction touched) and its horizon.
- `kinds`: the five kinds of record in the feed, and what each document shows of others,
  read off the read model's shapes.
- `triggers`: the triggers writing the log, generated from `kinds`.
- `cursor`: the feed's opaque, signed cursor.
- `feed`: a page of entries after a cursor, resolved to what the reader may see now;
  merges, retention, and the log's upkeep after migrations.
- `dump`: every visible record in one snapshot, with the cursor to follow the feed from.

README.md, "Keeping a copy in sync", is the user's guide; `clients/timeline_sync.py`
the reference client.
"""
