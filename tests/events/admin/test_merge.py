"""Merging a duplicate actor into the real one: every link moves, every name is kept.

An editor finds "Kremlin" entered as its own actor although the timeline already has
Russia (whose alias is "the Kremlin"). Merging must move every participation, statement,
mention, conflict party, affiliate and citation onto Russia, keep "Kremlin" as an alias,
delete the duplicate, and leave each change in the history — or, when refused, change
nothing at all.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission, User

from events.merging import MergeError, actors_merge
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from tests.conftest import cite_each
from tests.connections import connect
from tests.events.admin.conftest import form_fields, messages_of

ADMIN = "/admin/events"
KREMLIN_EXCERPT = "the Kremlin has shown frustration"  # once in the article, at offset 717


@dataclass
class Links:
    """The duplicate and one record of each kind of link to it."""

    kremlin: Actor
    participation: EventParticipant
    statement: Statement
    mentioned_in: Statement
    conflict: Conflict
    affiliate: Actor
    citation: Citation


def cited(statement: Statement) -> Statement:
    cite_each([statement], excerpt=KREMLIN_EXCERPT)
    return statement


def make_kremlin(kind: str) -> Links:
    source = Source.objects.get()
    kremlin = Actor.objects.create(
        slug="kremlin", name="Kremlin", kind=kind, aliases=["the Kremlin building"]
    )
    start = source.text.index(KREMLIN_EXCERPT)
    assert source.text.count(KREMLIN_EXCERPT) == 1 and start == 717
    mentioned_in = Statement.objects.get(slug="trump-iran-no-1-terrorist-threat")
    mentioned_in.about.add(kremlin)
    conflict = Conflict.objects.create(slug="russia-us-relations", name="Russia–U.S. tensions")
    conflict.parties.add(kremlin)
    return Links(
        kremlin=kremlin,
        participation=EventParticipant.objects.create(
            event=Event.objects.get(slug="gatilov-geneva-interview"), actor=kremlin, role="participant"
        ),
        statement=cited(
            Statement.objects.create(
                slug="kremlin-frustrated",
                speaker=kremlin,
                kind="paraphrase",
                text="The Kremlin is frustrated at Trump's failure to mount a joint fight against Islamic State.",
            )
        ),
        mentioned_in=mentioned_in,
        conflict=conflict,
        affiliate=Actor.objects.create(
            slug="kremlin-press-office",
            name="Kremlin press office",
            kind="government_body",
            affiliation=kremlin,
        ),
        citation=Citation.objects.create(
            source=source,
            actor=kremlin,
            excerpt=KREMLIN_EXCERPT,
            start_offset=start,
            end_offset=start + len(KREMLIN_EXCERPT),
        ),
    )


@pytest.fixture
def russia(seeded) -> Actor:
    return Actor.objects.get(slug="russia")


@pytest.fixture
def kremlin(seeded) -> Links:
    """A duplicate "Kremlin" of the same kind as Russia (a state), linked every possible way."""
    return make_kremlin("state")


@pytest.fixture
def kremlin_body(seeded) -> Links:
    """The duplicate entered as a government body: merging it into Russia (a state) needs confirmation."""
    return make_kremlin("government_body")


def links_of(actor: Actor) -> dict[str, int]:
    return {
        "participations": actor.participations.count(),
        "statements": actor.statements.count(),
        "mentions": actor.mentioned_in.count(),
        "conflicts": actor.conflicts.count(),
        "affiliates": actor.affiliates.count(),
        "citations": actor.citations.count(),
    }


# Russia's links in the seed article alone.
RUSSIA_SEED_LINKS = {
    "participations": 5,
    "statements": 1,
    "mentions": 9,
    "conflicts": 2,
    "affiliates": 3,
    "citations": 1,
}
RUSSIA_SEED_ALIASES = ["the Kremlin", "Moscow", "Russian Federation"]


def select_for_merge(client, *actors: Actor):
    """Tick the actors in the list and choose "Merge selected actors into one"."""
    return client.post(
        f"{ADMIN}/actor/",
        {"action": "merge_actors", "_selected_action": [str(actor.pk) for actor in actors]},
        follow=True,
    )


def confirm_merge(client, page, target: Actor, *, confirm_kinds: bool = False):
    """On the merge page, choose the actor to keep (and perhaps tick "merge anyway"), press Merge."""
    data = form_fields(page)
    data["target"] = str(target.pk)
    if confirm_kinds:
        data["confirm_kinds"] = "yes"
    response = client.post(f"{ADMIN}/actor/", data, follow=True)
    assert response.redirect_chain == [(f"{ADMIN}/actor/", 302)], response.content[:500]
    return response


# --------------------------------------------------------------------------- the merge page


def test_the_merge_page_lists_both_actors_to_choose_from(editor_client, kremlin, russia):
    """Selecting Kremlin and Russia opens a page offering each as the one to keep."""
    page = select_for_merge(editor_client, kremlin.kremlin, russia)
    assert page.status_code == 200 and page.redirect_chain == []
    assert [actor.slug for actor in page.context["actors"]] == ["kremlin", "russia"]
    assert page.context["kinds_differ"] is False
    html = page.content.decode()
    assert "<strong>Kremlin</strong> (State) — kremlin" in html
    assert "<strong>Russia</strong> (State, Russian Federation) — russia" in html
    assert "These actors are of different kinds." not in html
    data = form_fields(page)
    assert data["_selected_action"] == [str(kremlin.kremlin.pk), str(russia.pk)]
    assert (data["action"], data["post"]) == ("merge_actors", "yes")


def test_merging_moves_every_link_and_keeps_every_name(editor_client, editor, kremlin, russia):
    """After the merge, Kremlin is gone and each of its links points at Russia, which now also
    answers to "Kremlin" and "the Kremlin building"."""
    assert links_of(russia) == RUSSIA_SEED_LINKS
    assert links_of(kremlin.kremlin) == dict.fromkeys(RUSSIA_SEED_LINKS, 1)

    page = select_for_merge(editor_client, kremlin.kremlin, russia)
    response = confirm_merge(editor_client, page, russia)
    assert messages_of(response) == [
        "Merged kremlin into Russia: 1 participations, 1 statements, 1 mentions, 1 conflict parties, "
        "1 affiliates, 1 citations moved; aliases added: Kremlin, the Kremlin building."
    ]

    assert not Actor.objects.filter(slug="kremlin").exists()
    russia.refresh_from_db()
    assert links_of(russia) == {name: count + 1 for name, count in RUSSIA_SEED_LINKS.items()}
    assert russia.aliases == [*RUSSIA_SEED_ALIASES, "Kremlin", "the Kremlin building"]
    assert (russia.name, russia.kind, russia.wikidata_qid) == ("Russia", "state", "Q159")

    # Each link, one by one.
    assert EventParticipant.objects.get(pk=kremlin.participation.pk).actor == russia
    assert Statement.objects.get(slug="kremlin-frustrated").speaker == russia
    assert sorted(kremlin.mentioned_in.about.values_list("slug", flat=True)) == ["iran", "russia"]
    assert list(kremlin.conflict.parties.values_list("slug", flat=True)) == ["russia"]
    assert Actor.objects.get(slug="kremlin-press-office").affiliation == russia
    citation = Citation.objects.get(pk=kremlin.citation.pk)
    assert (citation.actor, citation.start_offset, citation.end_offset) == (russia, 717, 750)

    # Search finds Russia by the merged names.
    found = editor_client.get(f"{ADMIN}/actor/", {"q": "Kremlin building"}).context["cl"].result_list
    assert [actor.slug for actor in found] == ["russia"]


def test_the_merge_leaves_its_changes_in_the_history(editor_client, editor, kremlin, russia):
    """Every moved record and the deletion of the duplicate have a history row naming the editor."""
    page = select_for_merge(editor_client, kremlin.kremlin, russia)
    confirm_merge(editor_client, page, russia)

    def latest(history):
        return history.order_by("-history_date", "-history_id").first()

    gone = latest(Actor.history.filter(id=kremlin.kremlin.pk))
    assert (gone.history_type, gone.history_user, gone.name) == ("-", editor, "Kremlin")

    kept = latest(russia.history)
    assert (kept.history_type, kept.history_user) == ("~", editor)
    assert kept.aliases == [*RUSSIA_SEED_ALIASES, "Kremlin", "the Kremlin building"]

    participation = latest(EventParticipant.history.filter(id=kremlin.participation.pk))
    assert (participation.history_type, participation.history_user, participation.actor_id) == (
        "~",
        editor,
        russia.pk,
    )
    statement = latest(Statement.history.filter(id=kremlin.statement.pk))
    assert (statement.history_type, statement.history_user, statement.speaker_id) == ("~", editor, russia.pk)
    affiliate = latest(Actor.history.filter(id=kremlin.affiliate.pk))
    assert (affiliate.history_type, affiliate.history_user, affiliate.affiliation_id) == (
        "~",
        editor,
        russia.pk,
    )
    citation = latest(Citation.history.filter(id=kremlin.citation.pk))
    assert (citation.history_type, citation.history_user, citation.actor_id) == ("~", editor, russia.pk)

    # The mention and the conflict party are many-to-many links: their records' histories show them.
    mention = latest(kremlin.mentioned_in.history)
    assert mention.history_user == editor
    assert sorted(row.actor_id for row in mention.about.all()) == sorted(
        [Actor.objects.get(slug="iran").pk, russia.pk]
    )
    party = latest(kremlin.conflict.history)
    assert party.history_user == editor
    assert [row.actor_id for row in party.parties.all()] == [russia.pk]


def test_merging_across_kinds_needs_confirmation(editor_client, kremlin_body, russia):
    """A government body merged into a state: the page warns, and without "merge anyway" nothing moves."""
    page = select_for_merge(editor_client, kremlin_body.kremlin, russia)
    assert page.context["kinds_differ"] is True
    assert "These actors are of different kinds." in page.content.decode()
    assert "confirm_kinds" not in form_fields(page)  # the box starts unticked

    response = confirm_merge(editor_client, page, russia)
    assert messages_of(response) == [
        "Nothing merged: actors of different kinds need confirmation: "
        "Kremlin is a government body, Russia a state."
    ]
    assert Actor.objects.filter(slug="kremlin").exists()
    assert links_of(Actor.objects.get(slug="kremlin")) == dict.fromkeys(RUSSIA_SEED_LINKS, 1)
    russia.refresh_from_db()
    assert links_of(russia) == RUSSIA_SEED_LINKS
    assert russia.aliases == RUSSIA_SEED_ALIASES


def test_merging_across_kinds_with_confirmation(editor_client, kremlin_body, russia):
    """Ticking "merge anyway" merges the government body into the state."""
    page = select_for_merge(editor_client, kremlin_body.kremlin, russia)
    response = confirm_merge(editor_client, page, russia, confirm_kinds=True)
    assert messages_of(response)[0].startswith("Merged kremlin into Russia: 1 participations,")
    assert not Actor.objects.filter(slug="kremlin").exists()
    russia.refresh_from_db()
    assert russia.kind == "state"
    assert links_of(russia) == {name: count + 1 for name, count in RUSSIA_SEED_LINKS.items()}


def test_selecting_one_actor_merges_nothing(editor_client, kremlin, russia):
    """With a single actor ticked there is nothing to merge: the editor is told, and nothing changes."""
    response = select_for_merge(editor_client, kremlin.kremlin)
    assert response.redirect_chain == [(f"{ADMIN}/actor/", 302)]
    assert messages_of(response) == ["Nothing merged: select at least two actors (one is kept)."]
    assert Actor.objects.filter(slug="kremlin").exists()
    assert links_of(Actor.objects.get(slug="kremlin")) == dict.fromkeys(RUSSIA_SEED_LINKS, 1)


def test_a_target_that_was_not_selected_is_refused(editor_client, kremlin, russia):
    """A forged POST naming a third actor as the one to keep is forbidden, and nothing changes."""
    libya = Actor.objects.get(slug="libya")
    response = editor_client.post(
        f"{ADMIN}/actor/",
        {
            "action": "merge_actors",
            "_selected_action": [str(kremlin.kremlin.pk), str(russia.pk)],
            "post": "yes",
            "target": str(libya.pk),
        },
    )
    assert response.status_code == 403
    assert Actor.objects.filter(slug__in=["kremlin", "russia", "libya"]).count() == 3


@pytest.fixture
def changer(client, kremlin):
    """A staff user who may view and change actors but not delete them."""
    user = User.objects.create_user("changer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_actor", "change_actor"], content_type__app_label="events"
        )
    )
    client.force_login(user)
    return client


def test_a_user_who_may_not_delete_actors_is_not_offered_merging(changer):
    """Merging deletes actors, so someone who may change but not delete actors is not offered it
    (nor "delete selected"): their actor list has no action menu at all."""
    action_form = changer.get(f"{ADMIN}/actor/").context["action_form"]
    offered = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert offered == []


def test_a_user_who_may_not_delete_actors_cannot_merge_them(changer, kremlin, russia):
    """A forced merge POST from someone without the delete permission deletes nothing."""
    changer.post(
        f"{ADMIN}/actor/",
        {
            "action": "merge_actors",
            "_selected_action": [str(kremlin.kremlin.pk), str(russia.pk)],
            "post": "yes",
            "target": str(russia.pk),
        },
    )
    assert Actor.objects.filter(slug="kremlin").exists()
    assert links_of(russia) == RUSSIA_SEED_LINKS


# --------------------------------------------------------------------------- events.merging, called directly


def test_an_actor_cannot_be_merged_into_itself(russia):
    with pytest.raises(MergeError, match="^cannot merge Russia into itself$"):
        actors_merge(target=russia, others=[russia])
    assert Actor.objects.filter(pk=russia.pk).exists()


def test_a_merge_needs_another_actor(russia):
    with pytest.raises(MergeError, match="^choose at least one actor to merge into the target$"):
        actors_merge(target=russia, others=[])


def test_a_duplicated_participation_is_de_duplicated_not_lost(russia, seeded):
    """Kremlin and Russia both host the Moscow talks: after the merge Russia hosts them once."""
    talks = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    kremlin = Actor.objects.create(slug="kremlin", name="Kremlin", kind="state")
    duplicate = EventParticipant.objects.create(event=talks, actor=kremlin, role="host")
    also_broker = EventParticipant.objects.create(event=talks, actor=kremlin, role="broker")

    report = actors_merge(target=russia, others=[kremlin])
    assert (report.target, report.merged, report.participations) == ("russia", ["kremlin"], 2)
    assert sorted(talks.participations.values_list("actor__slug", "role")) == [
        ("fayez-al-serraj", "guest"),
        ("russia", "broker"),
        ("russia", "host"),
    ]
    assert not EventParticipant.objects.filter(pk=duplicate.pk).exists()
    assert EventParticipant.objects.get(pk=also_broker.pk).actor == russia
    assert russia.participations.count() == RUSSIA_SEED_LINKS["participations"] + 1
    deleted = EventParticipant.history.filter(id=duplicate.pk).order_by("-history_date").first()
    assert deleted.history_type == "-"


def test_a_duplicated_citation_is_de_duplicated(russia, seeded):
    """Kremlin cites the very passage Russia cites: Russia keeps one citation of it."""
    own = russia.citations.get()
    kremlin = Actor.objects.create(slug="kremlin", name="Kremlin", kind="state")
    Citation.objects.create(
        source=own.source,
        actor=kremlin,
        excerpt=own.excerpt,
        start_offset=own.start_offset,
        end_offset=own.end_offset,
    )
    report = actors_merge(target=russia, others=[kremlin])
    assert report.citations == 1
    assert list(russia.citations.values_list("pk", flat=True)) == [own.pk]


def test_merging_keeps_names_once_ignoring_case(russia, seeded):
    """Names Russia already answers to (in any case) are not added again; new ones are, in order."""
    other = Actor.objects.create(
        slug="russian-federation-dup",
        name="russian federation",
        kind="state",
        aliases=["THE KREMLIN", "Rossiya", "rossiya", "Russia"],
        wikidata_qid="",
    )
    report = actors_merge(target=russia, others=[other])
    assert report.aliases_added == ["Rossiya"]
    russia.refresh_from_db()
    assert russia.aliases == [*RUSSIA_SEED_ALIASES, "Rossiya"]


def test_merging_two_duplicates_at_once(russia, seeded):
    """Two duplicates in one go: both deleted, both names kept, links of both moved."""
    kremlin = Actor.objects.create(slug="kremlin", name="Kremlin", kind="state")
    moscow = Actor.objects.create(
        slug="moscow-gov", name="Moscow government", kind="state", affiliation=kremlin
    )
    Statement.objects.filter(slug="gatilov-active-us-role").get().about.add(kremlin, moscow)
    report = actors_merge(target=russia, others=[kremlin, moscow])
    assert report.merged == ["kremlin", "moscow-gov"]
    assert (report.mentions, report.affiliates) == (2, 1)
    assert report.aliases_added == ["Kremlin", "Moscow government"]
    assert not Actor.objects.filter(slug__in=["kremlin", "moscow-gov"]).exists()
    about = Statement.objects.get(slug="gatilov-active-us-role").about.values_list("slug", flat=True)
    assert sorted(about) == ["russia", "syria", "united-states"]


def test_a_target_affiliated_to_the_duplicate_loses_that_affiliation(seeded):
    """Merging a parent (Russia) into its own affiliate (Gatilov) leaves the kept actor unaffiliated,
    never affiliated to itself, and hands it the parent's Wikidata QID since it had none."""
    russia = Actor.objects.get(slug="russia")
    gatilov = Actor.objects.get(slug="gennady-gatilov")
    assert gatilov.affiliation == russia
    actors_merge(target=gatilov, others=[russia], confirm_kinds=True)
    gatilov.refresh_from_db()
    assert gatilov.affiliation is None
    assert gatilov.wikidata_qid == "Q159"
    assert gatilov.aliases == ["Gatilov", "Russia", *RUSSIA_SEED_ALIASES]
    # Russia's other affiliates (Peskov, the Academy) now belong to the kept actor.
    assert sorted(gatilov.affiliates.values_list("slug", flat=True)) == [
        "dmitry-peskov",
        "russian-academy-of-sciences",
    ]


def test_a_refused_merge_changes_nothing(russia, seeded):
    """A merge across kinds without confirmation raises before touching any row."""
    links = make_kremlin("government_body")
    with pytest.raises(MergeError, match="^actors of different kinds need confirmation: "):
        actors_merge(target=russia, others=[links.kremlin])
    assert links_of(Actor.objects.get(slug="kremlin")) == dict.fromkeys(RUSSIA_SEED_LINKS, 1)
    assert links_of(russia) == RUSSIA_SEED_LINKS


def test_an_edit_saved_before_the_merge_is_not_lost_to_the_copy_it_was_asked_with(russia, seeded):
    """The admin hands the merge actors read when the page was opened; the merge keeps later edits."""
    duplicate = Actor.objects.create(
        slug="russian-federation-dup", name="Russian Federation (dup)", kind="state"
    )
    stale_copy = Actor.objects.get(pk=russia.pk)  # what the merge page read
    Actor.objects.filter(pk=russia.pk).update(description="Edited meanwhile")  # another editor saved

    actors_merge(target=stale_copy, others=[duplicate])

    russia.refresh_from_db()
    assert russia.description == "Edited meanwhile"
    assert "Russian Federation (dup)" in russia.aliases


def test_an_edit_in_flight_waits_for_the_merge_and_is_kept(seeded):
    """Two real transactions: an editor's save of the target holds its row; the merge waits, then keeps it.

    Runs on connections of their own (committing), and undoes its changes at the end.
    """
    import threading

    from django.db import connections

    editor = connect()
    observer = connect(autocommit=True)
    russia = observer.execute(
        "SELECT id, description, version, updated_at FROM events_actor WHERE slug = 'russia'"
    ).fetchone()
    history_before = observer.execute(
        "SELECT coalesce(max(history_id), 0) FROM events_historicalactor"
    ).fetchone()[0]
    observer.execute(
        "INSERT INTO events_actor (slug, name, kind, description, aliases, wikidata_qid, version, created_at,"
        " updated_at) VALUES ('kremlin-race', 'Kremlin race', 'state', '', '{}', '', 1, now(), now())"
    )
    result = {}

    def merge():
        try:
            target = Actor.objects.get(slug="russia")
            result["report"] = actors_merge(target=target, others=[Actor.objects.get(slug="kremlin-race")])
        finally:
            connections.close_all()

    try:
        editor.execute(
            "UPDATE events_actor SET description = 'Saved during the merge' WHERE id = %s", [russia[0]]
        )
        thread = threading.Thread(target=merge)
        thread.start()
        for _ in range(100):  # the merge waits on the editor's row lock
            waiting = observer.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'"
            ).fetchone()[0]
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting == 1
        editor.commit()
        thread.join(20)
        kept = observer.execute(
            "SELECT description, 'Kremlin race' = ANY(aliases) FROM events_actor WHERE id = %s", [russia[0]]
        ).fetchone()
        assert kept == ("Saved during the merge", True)
        assert result["report"].merged == ["kremlin-race"]
    finally:
        editor.rollback()
        editor.close()
        observer.execute(
            "UPDATE events_actor SET description = %s, aliases = array_remove(aliases, 'Kremlin race'),"
            " version = %s, updated_at = %s WHERE id = %s",
            [russia[1], russia[2], russia[3], russia[0]],
        )
        observer.execute("DELETE FROM events_actor WHERE slug = 'kremlin-race'")
        observer.execute("DELETE FROM events_historicalactor WHERE history_id > %s", [history_before])
        observer.close()
