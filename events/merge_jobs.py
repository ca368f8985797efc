"""Merges too large for a request, run by a worker process, with progress the admin shows.

The admin's merge action counts the links a merge would move (`merging.links_to_move`).
Up to `settings.MERGE_IN_REQUEST_LINKS` it merges at once; above, `merge_or_queue` checks
the request as the merge would (`merging.merge_refusal`) and queues a `MergeJob`, and the
editor follows it on the job's admin page.

`manage.py run_merge_jobs` is the worker (one process is enough; more may run). For each
queued job, `run_next_job`:

1. takes the job row with `FOR NO KEY UPDATE SKIP LOCKED` in a transaction that lasts
   the whole merge, so two workers never run the same job;
2. merges (`merging.actors_merge`), writing each step to the job's `MergeJobProgress`
   on a second connection that commits at once, so the admin sees the step while the
   merge's own transaction is open;
3. marks the job `done` with the report in the merge's transaction, so the merge and its
   record commit together; a refused merge (an actor deleted meanwhile, kinds no longer
   confirmed), or one that fails for any other reason, is rolled back to a savepoint and
   the job marked `failed` with the reason.

A worker killed mid-merge loses its transaction: nothing is moved, the job is still
`queued`, and the next worker runs it again. The admin tells a running job from a waiting
one by its progress row's backend (`job_status`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from events import merging
from events.choices import MergeJobState
from events.models import Actor, MergeJob, MergeJobProgress

logger = logging.getLogger(__name__)


def merge_or_queue(
    *,
    target: Actor,
    others: Sequence[Actor],
    confirm_kinds: bool = False,
    user: AbstractBaseUser | None = None,
) -> merging.MergeReport | MergeJob:
    """Merge now if the merge is small enough for a request, else queue it; raises MergeError if refused."""
    refusal = merging.merge_refusal(target=target, others=others, confirm_kinds=confirm_kinds)
    if refusal:
        raise merging.MergeError(refusal)
    links = merging.links_to_move(others)
    if links <= settings.MERGE_IN_REQUEST_LINKS:
        return merging.actors_merge(target=target, others=others, confirm_kinds=confirm_kinds)
    return MergeJob.objects.create(
        target=target,
        target_name=target.name,
        others=[other.pk for other in others],
        others_names=[other.name for other in others],
        confirm_kinds=confirm_kinds,
        links=links,
        requested_by=user if user is not None and user.is_authenticated else None,
    )


class _Progress:
    """Writes a job's step on a connection of its own, committed at once (see the module)."""

    def __init__(self, job: MergeJob):
        self.job = job
        self.backend_pid = _backend_pid()
        self.started_at = timezone.now()
        self.connection = connection.copy()
        self.connection.set_autocommit(True)

    def __call__(self, step: str, done: int, total: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO events_mergejobprogress (job_id, step, done, total, backend_pid, started_at, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, now())"
                " ON CONFLICT (job_id) DO UPDATE SET step = excluded.step, done = excluded.done,"
                " total = excluded.total, backend_pid = excluded.backend_pid,"
                " started_at = excluded.started_at, updated_at = now()",
                [self.job.pk, step, done, total, self.backend_pid, self.started_at],
            )

    def close(self) -> None:
        self.connection.close()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def run_next_job() -> MergeJob | None:
    """Run the oldest queued job no other worker holds; returns it (done or failed), or None."""
    with transaction.atomic():
        job = (
            MergeJob.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(state=MergeJobState.QUEUED)
            .order_by("pk")
            .first()
        )
        if job is None:
            return None
        progress = _Progress(job)
        try:
            progress("starting", 0, len(merging.STEPS) * len(job.others))
            try:
                with transaction.atomic():
                    report = _merge(job, progress)
            except merging.MergeError as err:
                job.state, job.error = MergeJobState.FAILED, str(err)
            except Exception as err:
                # Rolled back to the savepoint: the job is recorded as failed rather than tried
                # again forever; the editor may ask for the merge again.
                logger.exception("merge job failed", extra={"job": job.pk})
                job.state, job.error = MergeJobState.FAILED, f"{type(err).__name__}: {err}"
            else:
                job.state, job.report = MergeJobState.DONE, dataclasses.asdict(report)
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "report", "finished_at"])
        finally:
            progress.close()
    logger.info("merge job finished", extra={"job": job.pk, "state": job.state})
    return job


def _merge(job: MergeJob, progress: _Progress) -> merging.MergeReport:
    """The job's merge, as queued; a MergeError names why it can no longer be done."""
    found = {actor.pk: actor for actor in Actor.objects.filter(pk__in=[job.target_id, *job.others])}
    missing = [name for pk, name in zip(job.others, job.others_names, strict=True) if pk not in found]
    if job.target_id not in found:
        raise merging.MergeError(
            f"{job.target_name}, the actor to keep, was deleted since the merge was queued"
        )
    if missing:
        raise merging.MergeError(f"{', '.join(missing)} deleted since the merge was queued")
    return merging.actors_merge(
        target=found[job.target_id],
        others=[found[pk] for pk in job.others],
        confirm_kinds=job.confirm_kinds,
        on_step=progress,
    )


@dataclass(frozen=True)
class JobStatus:
    """What the admin shows of a job: `state` is queued, running, done or failed."""

    state: str
    step: str = ""
    done: int = 0
    total: int = 0

    def __str__(self) -> str:
        if self.state == "running":
            return f"running: {self.step} (step {self.done + 1} of {self.total})"
        return self.state


def job_status(job: MergeJob) -> JobStatus:
    """Queued jobs are running while the backend of their progress row is alive (see the module)."""
    if job.state != MergeJobState.QUEUED:
        return JobStatus(job.state)
    alive = RawSQL("SELECT pid FROM pg_stat_activity", [])
    progress = MergeJobProgress.objects.filter(job=job, backend_pid__in=alive).first()
    if progress is None:
        return JobStatus("queued")
    return JobStatus("running", progress.step, progress.done, progress.total)
