"""The review workflow in the admin: draft → reviewed → published, and back.

Editors mark drafts reviewed; only reviewers may publish or unpublish, and the admin
does not even offer those actions to an editor. Every step records who and when, and
leaves a row in the record's history.
"""

import pytest
from django.core.exceptions import PermissionDenied

from events import review, services
from events.models import Event, Statement
from tests.events.admin.conftest import form_fields, messages_of

ADMIN = "/admin/events"
PESKOV = "peskov-no-movement-2017-03-03"


@pytest.fixture
def draft(seeded) -> Statement:
    """Peskov's statement, put back to draft (the seeds are all published)."""
    Statement.objects.filter(slug=PESKOV).update(status="draft", published_by=None, published_at=None)
    return Statement.objects.get(slug=PESKOV)


def act(client, action: str, *records, model: str = "statement"):
    """Select `records` in the changelist and run `action` on them, as the action bar does.

    Follows the redirect back to the list, so the messages returned are the ones shown there.
    """
    response = client.post(
        f"{ADMIN}/{model}/",
        {"action": action, "_selected_action": [str(record.pk) for record in records], "index": "0"},
        follow=True,
    )
    assert response.redirect_chain == [(f"{ADMIN}/{model}/", 302)], response.content[:500]
    return response


def action_choices(client, model: str = "statement") -> list[str]:
    response = client.get(f"{ADMIN}/{model}/")
    assert response.status_code == 200
    return [name for name, _label in response.context["action_form"].fields["action"].choices]


# --------------------------------------------------------------------------- what each role is offered


@pytest.mark.parametrize("model", ["statement", "event"])
def test_an_editor_is_not_offered_publishing(editor_client, seeded, model):
    """An editor's action menu has "mark reviewed" (and delete) but no publish or unpublish."""
    assert action_choices(editor_client, model) == ["", "delete_selected", "mark_reviewed"]


@pytest.mark.parametrize("model", ["statement", "event"])
def test_a_reviewer_is_offered_every_step(reviewer_client, seeded, model):
    """A reviewer may mark reviewed, publish and unpublish."""
    assert action_choices(reviewer_client, model) == [
        "",
        "delete_selected",
        "mark_reviewed",
        "publish",
        "unpublish",
    ]


def test_the_action_labels_say_what_they_do(reviewer_client, seeded):
    """The labels an editor reads in the menu."""
    response = reviewer_client.get(f"{ADMIN}/statement/")
    assert dict(response.context["action_form"].fields["action"].choices) == {
        "": "---------",
        "delete_selected": "Delete selected statements",
        "mark_reviewed": "Mark selected as reviewed",
        "publish": "Publish selected (reviewed) records",
        "unpublish": "Unpublish selected records",
    }


# --------------------------------------------------------------------------- the steps, through the admin


def test_editor_marks_a_draft_reviewed(editor_client, editor, draft):
    """The draft becomes reviewed, by this editor, now; the history keeps the step and who took it."""
    before = draft.history.count()
    response = act(editor_client, "mark_reviewed", draft)
    assert messages_of(response) == ["1 marked reviewed."]
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by, draft.published_by) == ("reviewed", editor, None)
    assert draft.reviewed_at is not None
    assert draft.history.count() == before + 1
    latest = draft.history.order_by("-history_date").first()
    assert (latest.history_type, latest.status, latest.history_user, latest.reviewed_by) == (
        "~",
        "reviewed",
        editor,
        editor,
    )
    assert latest.reviewed_at == draft.reviewed_at


def test_marking_reviewed_leaves_published_records_alone_and_says_so(editor_client, draft):
    """Selecting a draft and a published statement: one is marked, the other left with the reason."""
    published = Statement.objects.get(slug="gatilov-active-us-role")
    response = act(editor_client, "mark_reviewed", draft, published)
    assert messages_of(response) == [
        "1 marked reviewed.",
        "1 left as they were: only drafts can be marked reviewed.",
    ]
    published.refresh_from_db()
    assert (published.status, published.reviewed_by) == ("published", None)


def test_an_editor_forcing_publish_publishes_nothing(editor_client, draft):
    """A hand-made POST of the publish action by an editor is rejected as no action; nothing moves."""
    act(editor_client, "mark_reviewed", draft)
    response = act(editor_client, "publish", draft)
    assert messages_of(response) == ["No action selected."]
    draft.refresh_from_db()
    assert (draft.status, draft.published_by, draft.published_at) == ("reviewed", None, None)


def test_an_editor_forcing_unpublish_unpublishes_nothing(editor_client, seeded):
    """Likewise for unpublishing: the published statement stays public."""
    published = Statement.objects.get(slug="gatilov-active-us-role")
    act(editor_client, "unpublish", published)
    published.refresh_from_db()
    assert published.status == "published"


def test_reviewer_publishes_then_unpublishes(editor_client, reviewer_client, editor, reviewer, draft):
    """draft → reviewed (editor) → published (reviewer) → back to reviewed (reviewer), each step in history."""
    act(editor_client, "mark_reviewed", draft)
    response = act(reviewer_client, "publish", draft)
    assert messages_of(response) == ["1 published."]
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by, draft.published_by) == ("published", editor, reviewer)
    assert draft.published_at is not None and draft.published_at >= draft.reviewed_at

    response = act(reviewer_client, "unpublish", draft)
    assert messages_of(response) == ["1 unpublished."]
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == ("reviewed", editor)

    steps = [
        (row.status, row.history_user)
        for row in draft.history.order_by("history_date")
        if row.history_user is not None
    ]
    assert steps == [("reviewed", editor), ("published", reviewer), ("reviewed", reviewer)]


def test_publishing_a_draft_is_refused_with_the_reason(reviewer_client, draft):
    """Drafts must be reviewed before they are published."""
    response = act(reviewer_client, "publish", draft)
    assert messages_of(response) == [
        "0 published.",
        "1 left as they were: only reviewed records can be published.",
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_workflow_works_for_events_too(editor_client, reviewer_client, reviewer, seeded):
    """The Moscow talks go draft → reviewed → published through the event list's actions."""
    talks = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    Event.objects.filter(pk=talks.pk).update(status="draft")
    act(editor_client, "mark_reviewed", talks, model="event")
    act(reviewer_client, "publish", talks, model="event")
    talks.refresh_from_db()
    assert (talks.status, talks.published_by) == ("published", reviewer)


def test_the_change_form_shows_the_review_fields_read_only(editor_client, editor, draft):
    """An editor cannot type a status: it is shown, not editable, and a posted one is ignored."""
    act(editor_client, "mark_reviewed", draft)
    response = editor_client.get(f"{ADMIN}/statement/{draft.pk}/change/")
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "reviewed_by" not in form.fields
    data = form_fields(response, "statement_form")
    data.update(status="published", published_by=str(editor.pk))
    assert editor_client.post(f"{ADMIN}/statement/{draft.pk}/change/", data).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == ("reviewed", None)


# --------------------------------------------------------------------------- events.review, called directly


def test_records_publish_needs_the_publish_permission(editor, draft):
    """An editor calling the service directly is refused, whatever the admin shows."""
    Statement.objects.filter(pk=draft.pk).update(status="reviewed")
    with pytest.raises(PermissionDenied, match="^publishing statements needs the publish permission$"):
        review.records_publish(records=Statement.objects.filter(pk=draft.pk), user=editor)
    with pytest.raises(PermissionDenied, match="^unpublishing statements needs the publish permission$"):
        review.records_unpublish(records=Statement.objects.filter(pk=draft.pk), user=editor)
    assert Statement.objects.get(pk=draft.pk).status == "reviewed"


def test_records_publish_skips_drafts_and_counts_them(reviewer, draft):
    """Publishing a draft and a reviewed statement publishes one and reports the draft skipped."""
    reviewed = Statement.objects.get(slug="gatilov-active-us-role")
    Statement.objects.filter(pk=reviewed.pk).update(status="reviewed")
    result = review.records_publish(
        records=Statement.objects.filter(pk__in=[draft.pk, reviewed.pk]), user=reviewer
    )
    assert result == review.ReviewResult(1, 1, "only reviewed records can be published")
    assert Statement.objects.get(pk=draft.pk).status == "draft"
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.published_by) == ("published", reviewer)


def test_records_mark_reviewed_counts_what_it_changed(editor, draft):
    """Marking reviewed moves drafts only: one changed, thirteen published ones skipped."""
    result = review.records_mark_reviewed(records=Statement.objects.all(), user=editor)
    assert result == review.ReviewResult(1, 13, "only drafts can be marked reviewed")
    assert list(Statement.objects.values_list("status", flat=True).distinct().order_by("status")) == [
        "published",
        "reviewed",
    ]


def test_records_unpublish_returns_published_records_to_reviewed(reviewer, seeded):
    """Unpublishing keeps who published and when, so the record's past is not erased."""
    statements = Statement.objects.filter(slug__startswith="gatilov-")
    assert statements.count() == 7
    result = review.records_unpublish(records=statements, user=reviewer)
    assert result == review.ReviewResult(7, 0, "only published records can be unpublished")
    assert set(statements.values_list("status", flat=True)) == {"reviewed"}


def test_can_publish_follows_the_groups(superuser, editor, reviewer):
    """Reviewers and the superuser may publish events and statements; editors may not."""
    assert [services.can_publish(user, Statement) for user in (superuser, editor, reviewer)] == [
        True,
        False,
        True,
    ]
    assert [services.can_publish(user, Event) for user in (superuser, editor, reviewer)] == [
        True,
        False,
        True,
    ]
