"""Changes made through the admin's services, against a live server's database: `python -m tests.clients.live_services`.

The end-to-end test of the reference client (test_timeline_sync.py) runs this in its own
process with DATABASE_URL set to the live server's database, as an editor's admin
session would run them: merges (`events.merging`), the review workflow (`events.review`),
saves through `events.services`, and pairs of transactions that overlap on purpose (one
starts, the other commits, then the first) so that commits come out of start order.

It prints one JSON object: how many of each change it made.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import threading
import time
from collections import Counter

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--operations", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    django.setup()
    print(json.dumps(run(random.Random(args.seed), args.operations)))


def run(rng: random.Random, operations: int) -> dict[str, int]:
    from django.contrib.auth.models import User
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import OperationalError, close_old_connections, transaction

    from events import review, services
    from events.merging import MergeError, actors_merge
    from events.models import Actor, Event, Source, Statement

    editor = User.objects.filter(is_superuser=True).first()
    done: Counter[str] = Counter()

    def merge() -> None:
        """A duplicate of an actor, linked where the actor is, merged into it (or two the API made, when there are)."""
        pool = list(Actor.objects.filter(slug__startswith="e2e-actor-").order_by("id"))
        by_kind = {}
        for actor in pool:
            by_kind.setdefault(actor.kind, []).append(actor)
        pairs = [actors for actors in by_kind.values() if len(actors) >= 2]
        if pairs and rng.random() < 0.5:
            target, other = rng.sample(rng.choice(pairs), 2)
        else:
            target = rng.choice(list(Actor.objects.exclude(slug__startswith="e2e-")))
            done["duplicate made"] += 1
            other = Actor.objects.create(
                slug=f"e2e-duplicate-{done['duplicate made']}-{rng.randrange(10**6)}",
                name=f"{target.name} (duplicate)",
                kind=target.kind,
            )
            event = rng.choice(list(Event.objects.all()))
            services.event_save(
                event=event,
                fields={},
                participants=[
                    *((p.actor, p.role) for p in event.participations.all()),
                    (other, "participant"),
                ],
            )
            rng.choice(list(Statement.objects.all())).about.add(other)
        try:
            actors_merge(target=target, others=[other])
            done["merge"] += 1
        except MergeError:
            pass

    def review_step() -> None:
        model = rng.choice([Event, Statement])
        records = model.objects.filter(pk__in=rng.sample(list(model.objects.values_list("pk", flat=True)), 2))
        step = rng.choice(["mark_reviewed", "publish", "unpublish"])
        if step == "publish":
            review.records_mark_reviewed(records=records, user=editor)
        getattr(review, f"records_{step}")(records=records, user=editor)
        done[f"review.{step}"] += 1

    def participants() -> None:
        event = rng.choice(list(Event.objects.all()))
        actors = rng.sample(list(Actor.objects.all()), 2)
        services.event_save(
            event=event,
            fields={},
            participants=[(actor, rng.choice(["host", "guest", "party"])) for actor in actors],
        )
        done["services.event_save"] += 1

    def source_title() -> None:
        source = Source.objects.get(slug="bloomberg-2017-03-03-russia-urges-trump")
        source.title = f"Russia Urges Trump (edition {rng.randint(1, 10**6)})"
        source.save()
        done["source rename"] += 1

    def overlapping() -> None:
        """Two transactions that overlap: a rename starts first; the other commits before it, or waits for it.

        Either the other one edits an unrelated event (it commits first: commits out of start
        order), or it links the actor being renamed to a statement (its share lock waits for
        the rename, which commits first).
        """
        actor = rng.choice(list(Actor.objects.all()))
        event = rng.choice(list(Event.objects.all()))
        statement = rng.choice(list(Statement.objects.all()))
        links = rng.random() < 0.5
        started, wrote = threading.Event(), threading.Event()
        errors = []

        def rename():
            try:
                with transaction.atomic():
                    name = f"{actor.name.split(' (')[0]} ({rng.random():.6f})"
                    Actor.objects.filter(pk=actor.pk).update(name=name)
                    started.set()
                    wrote.wait(
                        5
                    )  # the other transaction has written (and committed, unless it waits for this one)
                    time.sleep(0.05)
            except OperationalError as error:  # a deadlock: PostgreSQL aborted one of the two
                errors.append(error)
            finally:
                started.set()
                close_old_connections()

        def other():
            started.wait(5)
            try:
                with transaction.atomic():
                    Event.objects.filter(pk=event.pk).update(summary=f"edited while {actor.slug} was renamed")
                    if links:
                        wrote.set()
                        statement.about.add(actor)  # waits for the rename to commit
            except OperationalError as error:
                errors.append(error)
            finally:
                wrote.set()
                close_old_connections()

        threads = [threading.Thread(target=rename), threading.Thread(target=other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done[
            "overlapping, linking the renamed actor" if links else "overlapping, committed out of start order"
        ] += 1
        done["deadlock (one of the two aborted)"] += len(errors)

    def saved_again_after_a_deadlock(step) -> None:
        """As an editor does when PostgreSQL aborts one of two deadlocked saves: save again."""
        for _ in range(5):
            try:
                step()
                return
            except OperationalError as error:
                if "deadlock detected" not in str(error):
                    raise
                done["deadlock (saved again)"] += 1
            except ObjectDoesNotExist:
                # The API's writer deleted the record this step had read: nothing saved.
                done["deleted meanwhile (not saved)"] += 1
                return
        raise RuntimeError(f"{step.__name__}: deadlocked five times in a row")

    steps = [merge, review_step, participants, source_title, overlapping]
    weights = [2, 4, 3, 1, 3]
    for _ in range(operations):
        saved_again_after_a_deadlock(rng.choices(steps, weights)[0])
    return dict(done)


if __name__ == "__main__":
    main()
