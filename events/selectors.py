"""Reads: the records a user may see, shaped for listing without N+1 queries.

Anonymous users and users without the model's view permission see published events
and statements only; editors (with `events.view_event` / `events.view_statement`) see
drafts and reviewed records too.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Func, Prefetch, QuerySet, TextField, Value

from events.choices import ReviewStatus
from events.models import (
    Actor,
    ActorSearchNames,
    Citation,
    Conflict,
    Event,
    EventParticipant,
    Source,
    Statement,
)


def _citations() -> Prefetch:
    # The source's full text can be large: a citation needs only its brief.
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("source").only(
            "excerpt",
            "start_offset",
            "end_offset",
            "event_id",
            "statement_id",
            "actor_id",
            "conflict_id",
            "source__slug",
            "source__title",
            "source__url",
        ),
    )


def _can_see_drafts(user: User | AnonymousUser | None, model: type) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(f"events.view_{model._meta.model_name}"))


def events_visible(*, user: User | AnonymousUser | None) -> QuerySet[Event]:
    """Events `user` may see (published ones, or all for editors), nothing fetched with them."""
    queryset = Event.objects.all()
    if not _can_see_drafts(user, Event):
        queryset = queryset.filter(status=ReviewStatus.PUBLISHED)
    return queryset


def statements_visible(*, user: User | AnonymousUser | None) -> QuerySet[Statement]:
    """Statements `user` may see (published ones, or all for editors), nothing fetched with them."""
    queryset = Statement.objects.all()
    if not _can_see_drafts(user, Statement):
        queryset = queryset.filter(status=ReviewStatus.PUBLISHED)
    return queryset


def event_list(*, user: User | AnonymousUser | None) -> QuerySet[Event]:
    """Events `user` may see, with participants, conflicts and citations prefetched."""
    return events_visible(user=user).prefetch_related(
        Prefetch(
            "participations",
            # The order of the lists the database keeps on event rows (migration 0008).
            queryset=EventParticipant.objects.select_related("actor").order_by(
                "role", "actor__name", "actor_id"
            ),
        ),
        Prefetch("conflicts", queryset=Conflict.objects.only("slug", "name").order_by("name", "id")),
        _citations(),
    )


def statement_list(*, user: User | AnonymousUser | None) -> QuerySet[Statement]:
    """Statements `user` may see, with speaker, occasion, subjects and citations fetched up front."""
    return (
        statements_visible(user=user)
        .select_related("speaker", "occasion")
        .prefetch_related(
            Prefetch("about", queryset=Actor.objects.only("slug", "name")),
            Prefetch("conflicts", queryset=Conflict.objects.only("slug", "name")),
            _citations(),
        )
    )


def actors_visible(*, user: User | AnonymousUser | None = None) -> QuerySet[Actor]:
    """Actors, nothing fetched with them: everyone sees every actor (they have no review status)."""
    return Actor.objects.all()


def actor_list(*, user: User | AnonymousUser | None = None) -> QuerySet[Actor]:
    """Actors with their affiliation and citations fetched up front."""
    return actors_visible(user=user).select_related("affiliation").prefetch_related(_citations())


def conflict_list() -> QuerySet[Conflict]:
    return Conflict.objects.prefetch_related(Prefetch("parties", queryset=Actor.objects.only("slug", "name")))


def source_list() -> QuerySet[Source]:
    return Source.objects.all()


def _folded(expression) -> Func:
    """Lower-cased and accent-free, so "Sarraj" finds "al-Sarraj" and "kremlin" "the Kremlin"."""
    return Func(Func(expression, function="lower"), function="unaccent", output_field=TextField())


def actors_matching(queryset: QuerySet[Actor], text: str) -> QuerySet[Actor]:
    """Actors whose name or any alias contains `text`, ignoring case and accents (API and admin search).

    The match is on ActorSearchNames, which a trigram index holds.
    """
    return queryset.annotate(search_names=ActorSearchNames(F("name"), F("aliases"))).filter(
        search_names__contains=_folded(Value(text))
    )
