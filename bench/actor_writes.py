"""What renaming and merging the corpus's most frequent actor cost (README "Merging duplicates").

Renaming an actor rewrites the stored participants of every event it takes part in, and
merging one moves every link it has; both run inside one request in the admin. Measured
once each against the corpus, through the same services the admin calls, in a
transaction that is rolled back, so the corpus is left as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.corpus import ROOT, django_env
from bench.postgres import BenchServer

SCRIPT = """
import json, time
from django.db import transaction
from events.merging import actors_merge
from events.models import Actor, EventParticipant, Statement

top = Actor.objects.get(pk={actor_id})
events = EventParticipant.objects.filter(actor=top).values("event").distinct().count()
spoken = Statement.objects.filter(speaker=top).count()
out = {{"actor": top.slug, "events": events, "statements_spoken": spoken}}
with transaction.atomic():
    started = time.monotonic()
    top.name = top.name + " (renamed)"
    top.save()
    out["rename_seconds"] = round(time.monotonic() - started, 2)
    transaction.set_rollback(True)
with transaction.atomic():
    into = Actor.objects.exclude(pk=top.pk).order_by("pk").first()
    started = time.monotonic()
    report = actors_merge(target=into, others=[top], confirm_kinds=True)
    out["merge_seconds"] = round(time.monotonic() - started, 2)
    out["merge_moved"] = {{"participations": report.participations, "statements": report.statements}}
    transaction.set_rollback(True)
print("RESULT " + json.dumps(out))
"""


def measure(server: BenchServer, database: str, actor_id: int) -> dict:
    """Seconds to rename, and to merge into another actor, the actor `actor_id` (both rolled back)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SCRIPT.format(actor_id=actor_id)],
        env=django_env(server.url(database)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))
