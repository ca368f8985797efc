"""Reads: the records a user may see.

Anonymous users and users without the model's view permission see published events
and statements only; editors (with `events.view_event` / `events.view_statement`) see
drafts and reviewed records too. What is shown of each record is its document
(`events.api.documents`), which brings its related records itself.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.functions import Greatest

from events.choices import ReviewStatus
from events.models import Actor, ActorSearchNames, Conflict, Event, Source, Statement


def _can_see_drafts(user: User | AnonymousUser | None, model: type) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(f"events.view_{model._meta.model_name}"))


def can_see_drafts(user: User | AnonymousUser | None) -> bool:
    """Whether `user` sees unpublished events and statements (both view permissions)."""
    return _can_see_drafts(user, Event) or _can_see_drafts(user, Statement)


def events_visible(*, user: User | AnonymousUser | None) -> QuerySet[Event]:
    """Events `user` may see (published ones, or all for editors)."""
    queryset = Event.objects.all()
    if not _can_see_drafts(user, Event):
        queryset = queryset.filter(status=ReviewStatus.PUBLISHED)
    return queryset


def statements_visible(*, user: User | AnonymousUser | None) -> QuerySet[Statement]:
    """Statements `user` may see (published ones, or all for editors)."""
    queryset = Statement.objects.all()
    if not _can_see_drafts(user, Statement):
        queryset = queryset.filter(status=ReviewStatus.PUBLISHED)
    return queryset


def actors_visible(*, user: User | AnonymousUser | None = None) -> QuerySet[Actor]:
    """Actors: everyone sees every actor (they have no review status)."""
    return Actor.objects.all()


def conflicts_visible(*, user: User | AnonymousUser | None = None) -> QuerySet[Conflict]:
    """Conflicts: everyone sees every conflict (they have no review status)."""
    return Conflict.objects.all()


def sources_visible(*, user: User | AnonymousUser | None = None) -> QuerySet[Source]:
    """Sources: everyone sees every source document."""
    return Source.objects.all()


def _folded(expression) -> Func:
    """Lower-cased and accent-free, so "Sarraj" finds "al-Sarraj" and "kremlin" "the Kremlin"."""
    # events_unaccent is IMMUTABLE (migration 0015): a constant text is folded once, at planning.
    return Func(Func(expression, function="lower"), function="events_unaccent", output_field=TextField())


def actors_matching(queryset: QuerySet[Actor], text: str) -> QuerySet[Actor]:
    """Actors whose name or any alias contains `text`, ignoring case and accents (API and admin search).

    The match is on ActorSearchNames, which a trigram index holds.
    """
    return queryset.annotate(search_names=ActorSearchNames(F("name"), F("aliases"))).filter(
        search_names__contains=_folded(Value(text))
    )


# What "closest" means for an unknown slug: trigram similarity to the slug, or how well the
# typed words match a word run of the record's names (aliases too, for actors), whichever
# is higher; at least MIN_SIMILARITY, and within SIMILARITY_SPREAD of the best match.
MIN_SIMILARITY = 0.5
SIMILARITY_SPREAD = 0.1

_NAMES = {
    Actor: ActorSearchNames(F("name"), F("aliases")),
    Conflict: _folded(F("name")),
    Event: _folded(F("title")),
    Source: _folded(F("title")),
}


def closest_slugs(model: type, typed: str, *, limit: int = 3) -> list[str]:
    """The slugs of the records of `model` closest to `typed`, best first: what "did you mean?" offers.

    "haftar" finds khalifa-haftar (a word of the name), "russsia" russia (the slug),
    "kremlin" russia (an alias). Any case, any accents. One query, over every record of
    the model: it runs only when a request names a slug that does not exist.
    """
    words = _folded(Value(typed.replace("-", " ")))
    score = Greatest(
        TrigramSimilarity("slug", Value(typed.lower())),
        TrigramWordSimilarity(words, _NAMES.get(model, _folded(F("slug")))),
    )
    ranked = list(
        model.objects.annotate(score=score)
        .filter(score__gte=MIN_SIMILARITY)
        .order_by("-score", "slug")
        .values_list("slug", "score")[:limit]
    )
    if not ranked:
        return []
    best = ranked[0][1]
    return [slug for slug, value in ranked if value >= best - SIMILARITY_SPREAD]
