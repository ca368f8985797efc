"""What the change feed costs at scale, beyond its page (query C1): the time it adds to writes, and the dump.

- **Write cost.** The same write transactions, made through the ORM and the services as
  the API and the admin make them, timed with the change log's triggers on and off
  (`ALTER TABLE ... DISABLE TRIGGER`, only theirs), in alternating blocks so drift in the
  machine's load falls on both. Each write is undone by the next (a title and back, a
  status and back, the same participants again), so the corpus is left as it was.
  Reported per kind of write: median and p95 with and without, the database backend's
  CPU time per transaction with and without, and what the log adds to each.
- **The dump.** `manage.py export_dump -` (every public record, one snapshot, to a pipe
  that discards it): seconds, records and megabytes a second, and the peak resident
  memory of the process, sampled every 50 ms.
- **C1's cursor.** `manage.py changes_cursor --back N`: N entries before the head.

`python -m bench.change_feed write-cost ...` is the part that runs inside Django, in its
own process, against the corpus database (DATABASE_URL). `python -m bench.change_feed
rename-pages --actor SLUG` (by hand, not part of `./dev bench`: it renames a frequent
actor twice, minutes at a million events) reads the feed through one large rename.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import psutil

from bench.corpus import ROOT, django_env

WRITE_KINDS = {
    "event title": "an event's title changed (event_save)",
    "event participants": "an event's participants written again (event_save)",
    "event status": "an event published or unpublished (status saved)",
    "statement text": "a statement's words changed (saved)",
    "actor rename": "a rare actor renamed: its events' stored lists and statements follow",
}


def _manage(database_url: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=django_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )


def feed_cursor(server, database: str, back: int = 1_000_000) -> dict:
    """{changes_back, changes_cursor} for C1: a cursor `back` public entries before the head, or fewer in a small corpus."""
    with server.connect(database) as conn:
        (public,) = conn.execute("SELECT count(*) FROM events_change WHERE public IS NOT false").fetchone()
    back = min(back, public // 2)
    cursor = _manage(server.url(database), "changes_cursor", "--back", str(back)).stdout.strip()
    return {"changes_back": back, "changes_cursor": cursor}


def measure_writes(server, database: str, rare_actor: str, transactions: int) -> dict:
    """The write-cost part, run in a Django process against the corpus."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.change_feed", "write-cost", "--actor", rare_actor,
         "--transactions", str(transactions)],
        env=django_env(server.url(database)), cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def measure_dump(server, database: str) -> dict:
    """export_dump of every public record to a pipe that discards it: rate and peak memory."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "export_dump", "-"],
        env=django_env(server.url(database)), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    watched = psutil.Process(process.pid)
    peak = 0
    started = time.monotonic()
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.05)
    process_seconds = time.monotonic() - started
    stderr = process.stderr.read()
    if process.wait() != 0:
        raise RuntimeError(f"export_dump failed: {stderr[-1000:]}")
    # "Wrote 1,234 records, 5.6 MB in 7.8 s (...)": the command's own time, from its first query
    # to its last byte (the process's start, Django's setup, is not the dump's).
    words = stderr.split()
    records = int(words[words.index("records,") - 1].replace(",", ""))
    megabytes = float(words[words.index("MB") - 1].replace(",", ""))
    seconds = float(words[words.index("MB") + 2])
    return {
        "process_seconds": round(process_seconds, 2),
        "seconds": round(seconds, 2),
        "records": records,
        "megabytes": megabytes,
        "mb_per_second": round(megabytes / max(seconds, 0.01), 1),
        "records_per_second": round(records / max(seconds, 0.01)),
        "peak_rss_mb": round(peak / 2**20, 1),
    }


# --- inside Django


def _writes(rare_actor: str):
    """({kind: a function making one write transaction}, a function putting back what they changed)."""
    from django.db import transaction

    from events import services
    from events.models import Actor, Event, Statement

    events = list(Event.objects.filter(status="published").order_by("id")[1000:1064]) or list(
        Event.objects.filter(status="published").order_by("id")[:64]
    )
    statements = list(Statement.objects.filter(status="published").order_by("id")[1000:1064]) or list(
        Statement.objects.filter(status="published").order_by("id")[:64]
    )
    actor = Actor.objects.get(slug=rare_actor)
    turn = {"n": 0}
    # What the writes change, as it was: each write undoes the one before on the same record,
    # but a record is not always picked an even number of times, so all is put back after.
    was = (
        [(event.pk, event.title, event.status) for event in events],
        [(statement.pk, statement.text) for statement in statements],
        actor.name,
    )

    @transaction.atomic
    def restore():
        event_rows, statement_rows, name = was
        for pk, title, status in event_rows:
            Event.objects.filter(pk=pk).exclude(title=title, status=status).update(title=title, status=status)
        for pk, text in statement_rows:
            Statement.objects.filter(pk=pk).exclude(text=text).update(text=text)
        Actor.objects.filter(pk=actor.pk).exclude(name=name).update(name=name)

    def pick(records):
        turn["n"] += 1
        return records[turn["n"] % len(records)]

    def toggled(text: str, mark: str = " (bench)") -> str:
        return text.removesuffix(mark) if text.endswith(mark) else text + mark

    def event_title():
        event = pick(events)
        event.refresh_from_db()
        services.event_save(event=event, fields={"title": toggled(event.title)})

    def event_participants():
        event = pick(events)
        pairs = [(p.actor, p.role) for p in event.participations.select_related("actor")]
        services.event_save(event=event, fields={}, participants=pairs)

    @transaction.atomic
    def event_status():
        event = pick(events)
        event.refresh_from_db()
        event.status = "reviewed" if event.status == "published" else "published"
        event.save(update_fields=["status", "updated_at"])

    @transaction.atomic
    def statement_text():
        statement = pick(statements)
        statement.refresh_from_db()
        statement.text = toggled(statement.text)
        statement.save()

    @transaction.atomic
    def actor_rename():
        actor.refresh_from_db()
        actor.name = toggled(actor.name)
        actor.save()

    writes = {
        "event title": event_title,
        "event participants": event_participants,
        "event status": event_status,
        "statement text": statement_text,
        "actor rename": actor_rename,
    }
    return writes, restore


def _set_log_triggers(enabled: bool) -> None:
    from django.db import connection, transaction

    from events.changes.triggers import pgids

    with transaction.atomic(), connection.cursor() as cursor:
        for table, trigger in pgids():
            cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER {trigger}")


def _trigger_milliseconds(cursor) -> float:
    """Milliseconds spent so far in the change log's trigger functions (their own time), as PostgreSQL counts it."""
    cursor.execute(
        "SELECT pg_stat_force_next_flush()"
    )  # this backend's counts reach the shared ones when idle
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT coalesce(sum(self_time), 0) FROM pg_stat_user_functions WHERE funcname LIKE 'pgtrigger_changes_%%'"
    )
    return float(cursor.fetchone()[0])


def backend_cpu_ms(pid: int) -> float:
    """Milliseconds a PostgreSQL backend (a process on this machine) has spent on a CPU, to the nanosecond.

    Linux's scheduler counts it (`/proc/PID/schedstat`, first field; readable by anyone).
    Time the process waited for a CPU, while another program ran, is not in it.
    """
    with open(f"/proc/{pid}/schedstat") as counters:
        return int(counters.read().split()[0]) / 1_000_000


def write_cost(rare_actor: str, transactions: int, block: int = 10, kinds: list[str] | None = None) -> dict:
    """Per kind of write: milliseconds per transaction with the change log's triggers on and off, and in them.

    Blocks of `block` transactions alternate on and off (on-off, off-on, ...), so a change
    in the machine's load falls on both. Three measures of what the log adds:

    - wall clock, the difference of the medians: everything, but on a shared machine a
      15-60 ms transaction's median moves by a millisecond between runs of the same code;
    - the database's CPU: the CPU time of the session's PostgreSQL backend, per
      transaction, with minus without. The log is database work (triggers, their rows,
      the WAL for them); the client runs the same code either way. Time spent waiting
      for a CPU is not counted, but a transaction's work still varies (a rare rename's
      blocks by 13%), so it comes as a mean over rounds with its 95% interval;
    - inside the trigger functions (track_functions): exact, but leaves out what
      PostgreSQL does around them.

    The database must run on this machine (the backend's CPU is read from /proc).
    """
    from django.db import connection

    writes, restore = _writes(rare_actor)
    rounds = max(1, transactions // block)
    block += block % 2  # even: each write undone within its block
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("SET track_functions = 'pl'")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        try:
            for kind, write in writes.items():
                if kinds and kind not in kinds:
                    continue
                for _ in range(4):  # warm caches and connections, not measured
                    write()
                times: dict[bool, list[float]] = {True: [], False: []}
                cpu = []  # per round: the database's CPU per transaction, on minus off
                inside = 0.0
                for number in range(rounds):
                    spent = {}
                    for enabled in (True, False) if number % 2 == 0 else (False, True):
                        _set_log_triggers(enabled)
                        before = _trigger_milliseconds(cursor) if enabled else 0.0
                        cpu_before = backend_cpu_ms(backend)
                        for _ in range(block):
                            started = time.perf_counter()
                            write()
                            times[enabled].append((time.perf_counter() - started) * 1000)
                        spent[enabled] = (backend_cpu_ms(backend) - cpu_before) / block
                        if enabled:
                            inside += _trigger_milliseconds(cursor) - before
                    cpu.append(spent[True] - spent[False])
                on, off = _summary(times[True]), _summary(times[False])
                result[kind] = {
                    "description": WRITE_KINDS[kind],
                    "with_log": on,
                    "without_log": off,
                    "added_median_ms": round(on["median_ms"] - off["median_ms"], 3),
                    "added_database_cpu": mean_with_interval(cpu),
                    "in_triggers_ms": round(inside / len(times[True]), 3),
                }
        finally:
            _set_log_triggers(True)
            restore()
    return result


def mean_with_interval(differences: list[float]) -> dict:
    """The mean of the rounds' differences, with its 95% confidence interval (normal approximation).

    Each round's difference is one paired sample (its on block against its off block), so
    the interval is the mean plus or minus 1.96 standard errors of those samples: how far
    the mean could be from the cost itself, given how much the rounds disagree.
    """
    mean = statistics.fmean(differences)
    half = 1.96 * statistics.stdev(differences) / len(differences) ** 0.5 if len(differences) > 1 else 0.0
    return {
        "mean_ms": round(mean, 3),
        "low_ms": round(mean - half, 3),
        "high_ms": round(mean + half, 3),
        "rounds": len(differences),
    }


def rename_pages(actor_slug: str, page_size: int) -> dict:
    """The feed read through one rename of an actor many documents show, and what the rename cost its writer.

    The log holds one row per way of showing the actor; the first page that reads them
    finds the documents and writes their entries into the log (feed `expand_shown`), the
    others read those. Pages are read through the service, as an anonymous reader; the
    name is put back afterwards.
    """
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from events.changes import feed
    from events.models import Actor

    actor = Actor.objects.get(slug=actor_slug)
    name = actor.name
    reader = AnonymousUser()
    with connection.cursor() as cursor:
        cursor.execute("SET track_functions = 'pl'")
        start = feed.head_cursor(user=reader).encode()
        before = _trigger_milliseconds(cursor)
        started = time.perf_counter()
        Actor.objects.filter(pk=actor.pk).update(name=f"{name} (bench)")  # one transaction (autocommit)
        rename_ms = (time.perf_counter() - started) * 1000
        inside = _trigger_milliseconds(cursor) - before
    try:
        times, entries, after = [], 0, start
        while True:
            started = time.perf_counter()
            page = feed.changes_page(user=reader, after=after, page_size=page_size, request=None)
            times.append((time.perf_counter() - started) * 1000)
            entries += len(page.entries)
            after = page.cursor
            if not page.more:
                break
    finally:
        Actor.objects.filter(pk=actor.pk).update(name=name)
    return {
        "actor": actor_slug,
        "entries": entries,
        "rename_ms": round(rename_ms, 1),
        "in_log_triggers_ms": round(inside, 3),
        "page_size": page_size,
        "first_page_ms": round(times[0], 1),  # it writes the rename's entries into the log
        "pages": _summary(times),
    }


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "count": len(ordered),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.change_feed")
    parser.add_argument("command", choices=["write-cost", "rename-pages"])
    parser.add_argument(
        "--actor",
        required=True,
        help="write-cost: a rare actor's slug (renamed back and forth); rename-pages: a frequent one's.",
    )
    parser.add_argument("--transactions", type=int, default=600, help="Per kind of write and per mode.")
    parser.add_argument("--page-size", type=int, default=50, help="rename-pages: entries per page.")
    parser.add_argument(
        "--kind",
        action="append",
        choices=sorted(WRITE_KINDS),
        help="write-cost: only this kind of write (repeatable; all by default).",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    if args.command == "write-cost":
        print(json.dumps(write_cost(args.actor, args.transactions, kinds=args.kind)))
    else:
        print(json.dumps(rename_pages(args.actor, args.page_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
