"""Merges too large for a request: queued by the admin, run by the worker, followed on the job's page.

The limit is lowered to 3 links so the seed article's duplicate "Kremlin" (4 links to
move: a participation, a statement spoken, one spoken about, a citation) is queued. These
tests commit (`committed`): the worker's progress is written on a second connection,
which sees only committed rows, as in production.
"""

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from events import merge_jobs
from events.models import Actor, MergeJob
from tests.connections import connect
from tests.deploy.test_container import database_url
from tests.events.admin.conftest import form_fields, messages_of
from tests.events.admin.test_merge import RUSSIA_SEED_LINKS, links_of, make_kremlin, select_for_merge

ROOT = Path(__file__).resolve().parents[3]
KREMLIN_LINKS = dict.fromkeys(RUSSIA_SEED_LINKS, 1)


@pytest.fixture
def superuser_client(committed) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("jobs-super", "jobs@example.org", "pw-for-tests-only"))
    return client


@pytest.fixture
def small_limit(settings):
    settings.MERGE_IN_REQUEST_LINKS = 3


def queue_kremlin_merge(client: Client) -> MergeJob:
    """Select Kremlin and Russia, keep Russia: the admin queues the merge and shows its job."""
    with transaction.atomic():  # a statement and its citation commit together
        kremlin = make_kremlin("state").kremlin
    russia = Actor.objects.get(slug="russia")
    page = select_for_merge(client, kremlin, russia)
    data = form_fields(page)
    data["target"] = str(russia.pk)
    response = client.post("/admin/events/actor/", data, follow=True)
    job = MergeJob.objects.get()
    assert response.redirect_chain == [(f"/admin/events/mergejob/{job.pk}/change/", 302)]
    assert messages_of(response) == [
        "Queued: this merge moves 4 links, more than a request may. "
        f'<a href="/admin/events/mergejob/{job.pk}/change/">Follow it here</a>; nothing changes until it is done.'
    ]
    return job


def status_on_page(client: Client, job: MergeJob) -> tuple[str, bool]:
    """The status the job's admin page shows, and whether the page reloads itself."""
    html = client.get(f"/admin/events/mergejob/{job.pk}/change/").content.decode()
    status = re.search(r'<label>Status:</label>\s*<div class="readonly">([^<]*)</div>', html).group(1)
    return status, 'http-equiv="refresh"' in html


def test_a_small_merge_is_done_in_the_request(superuser_client):
    """Under the limit (10,000 links by default) nothing is queued: the merge is done at once."""
    with transaction.atomic():  # a statement and its citation commit together
        kremlin = make_kremlin("state").kremlin
    russia = Actor.objects.get(slug="russia")
    page = select_for_merge(superuser_client, kremlin, russia)
    data = form_fields(page)
    data["target"] = str(russia.pk)
    response = superuser_client.post("/admin/events/actor/", data, follow=True)
    assert response.redirect_chain == [("/admin/events/actor/", 302)]
    assert messages_of(response)[0].startswith("Merged kremlin into Russia: 1 participations")
    assert not MergeJob.objects.exists() and not Actor.objects.filter(slug="kremlin").exists()


def test_a_large_merge_is_queued_then_done_by_the_worker(superuser_client, small_limit):
    job = queue_kremlin_merge(superuser_client)
    assert (job.target_name, job.others_names, job.links, job.state) == ("Russia", ["Kremlin"], 4, "queued")
    # Queued: nothing has moved yet, and the page follows the job.
    assert links_of(Actor.objects.get(slug="kremlin")) == KREMLIN_LINKS
    assert status_on_page(superuser_client, job) == ("queued", True)

    out = io.StringIO()
    call_command("run_merge_jobs", "--once", stdout=out)
    assert out.getvalue() == f"job {job.pk}: Merge of Kremlin into Russia done\n"

    assert not Actor.objects.filter(slug="kremlin").exists()
    russia = Actor.objects.get(slug="russia")
    assert links_of(russia) == {name: count + 1 for name, count in RUSSIA_SEED_LINKS.items()}
    assert russia.aliases[-2:] == ["Kremlin", "the Kremlin building"]
    assert status_on_page(superuser_client, job) == ("done", False)
    html = superuser_client.get(f"/admin/events/mergejob/{job.pk}/change/").content.decode()
    assert (
        "1 participations, 1 statements, 1 mentions, 1 conflict parties, 1 affiliates, 1 citations; "
        "aliases added: Kremlin, the Kremlin building"
    ) in html
    # A second run finds nothing to do.
    out = io.StringIO()
    call_command("run_merge_jobs", "--once", stdout=out)
    assert out.getvalue() == ""


def test_a_merge_no_longer_possible_fails_with_the_reason_and_moves_nothing(superuser_client, small_limit):
    job = queue_kremlin_merge(superuser_client)
    # Another editor made the duplicate a government body meanwhile: the kinds now differ,
    # which the merge was not confirmed for.
    Actor.objects.filter(slug="kremlin").update(kind="government_body")

    job = merge_jobs.run_next_job()
    assert (job.state, job.error) == (
        "failed",
        "actors of different kinds need confirmation: Kremlin is a government body, Russia a state",
    )
    assert links_of(Actor.objects.get(slug="kremlin")) == KREMLIN_LINKS
    assert links_of(Actor.objects.get(slug="russia")) == RUSSIA_SEED_LINKS
    assert status_on_page(superuser_client, job) == ("failed", False)


def worker_env() -> dict[str, str]:
    connection.ensure_connection()
    params = connection.settings_dict
    database = {
        "host": params["HOST"] or "127.0.0.1",
        "port": int(params["PORT"] or 5432),
        "user": params["USER"] or "postgres",
        "password": params["PASSWORD"] or None,
        "dbname": params["NAME"],
    }
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DATABASE_URL": database_url(database),
        "DJANGO_SECRET_KEY": "merge-jobs-test-secret-key-not-for-any-deployment",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


def test_a_running_merge_shows_its_step_and_a_killed_worker_leaves_it_queued(superuser_client, small_limit):
    """A real worker process: the admin sees it running; killed mid-merge, nothing has moved,
    the job waits for the next worker, which completes it."""
    job = queue_kremlin_merge(superuser_client)
    kremlin = Actor.objects.get(slug="kremlin")
    blocker = connect()
    # Another transaction holds the duplicate's row: the worker's merge waits for it, after its
    # first step is recorded.
    blocker.execute("SELECT 1 FROM events_actor WHERE id = %s FOR UPDATE", [kremlin.pk])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_merge_jobs", "--once"],
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            if str(merge_jobs.job_status(job)).startswith("running"):
                break
            time.sleep(0.05)
        assert status_on_page(superuser_client, job) == ("running: starting (step 1 of 7)", True)

        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    # The killed worker's backend ends its transaction once it finds its client gone.
    for _ in range(200):
        if merge_jobs.job_status(job).state == "queued":
            break
        time.sleep(0.05)
    assert status_on_page(superuser_client, job) == ("queued", True)
    assert links_of(Actor.objects.get(slug="kremlin")) == KREMLIN_LINKS

    assert merge_jobs.run_next_job().state == "done"
    assert not Actor.objects.filter(slug="kremlin").exists()
    assert status_on_page(superuser_client, job) == ("done", False)
