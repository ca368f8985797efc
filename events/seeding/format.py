"""The shape of a curated seed file, as DRF serializers that check it record by record.

A seed file is YAML with the keys `source`, `actors`, `conflicts`, `events` and
`statements` (see the README's "Seed files" section). These serializers check types,
required keys, lengths and vocabularies; the loader then checks what needs the source
text or the database (excerpts, dates, references between records).

Unknown keys are errors, not silently ignored: a misspelt `particpants` would otherwise
drop every participant without a word.
"""

from typing import Any

from rest_framework import serializers

from events.choices import ActorKind, EventType, ParticipantRole, ReviewStatus, StatementKind


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses keys it does not declare."""

    def to_internal_value(self, data: Any) -> dict:
        if isinstance(data, dict):
            unknown = sorted(set(map(str, data)) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: [f"unknown key; expected one of: {', '.join(self.fields)}"] for key in unknown}
                )
        return super().to_internal_value(data)


class SlugList(serializers.ListField):
    """A list of record slugs (defaults to empty)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.SlugField(max_length=200), required=False, default=list, **kwargs)


class CitationSeed(StrictSerializer):
    excerpt = serializers.CharField(trim_whitespace=True)


class SourceSeed(StrictSerializer):
    slug = serializers.SlugField(max_length=200)
    metadata = serializers.CharField(
        help_text="Path of the source's JSON metadata, relative to the seed file."
    )


class SourceMetadata(serializers.Serializer):
    """The source's JSON metadata file (extra keys are allowed: it is shared with other tools)."""

    file = serializers.CharField()
    title = serializers.CharField(max_length=500)
    publisher = serializers.CharField(max_length=200)
    url = serializers.URLField(max_length=1000, required=False, default="")
    published_on = serializers.DateField()
    language = serializers.CharField(max_length=16)
    contributors = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    not_article_body = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ActorSeed(StrictSerializer):
    slug = serializers.SlugField(max_length=200)
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    description = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    affiliation = serializers.SlugField(max_length=200, required=False, default=None, allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)
    wikidata = serializers.RegexField(r"^Q[1-9][0-9]*$", max_length=20, required=False, default="")
    excerpt = serializers.CharField(required=False, default=None, allow_null=True)


class ConflictSeed(StrictSerializer):
    slug = serializers.SlugField(max_length=200)
    name = serializers.CharField(max_length=300)
    region = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    start_date = serializers.DateField(required=False, default=None, allow_null=True)
    end_date = serializers.DateField(required=False, default=None, allow_null=True)
    parties = SlugList()
    excerpt = serializers.CharField(required=False, default=None, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        if attrs["start_date"] and attrs["end_date"] and attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError({"end_date": ["is before start_date"]})
        return attrs


class ParticipantSeed(StrictSerializer):
    actor = serializers.SlugField(max_length=200)
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class DatedSeed(StrictSerializer):
    """What events and statements share: a date in words, citations, a review status."""

    date = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=True)
    conflicts = SlugList()
    citations = CitationSeed(many=True, allow_empty=False)
    # Curated seed records are published unless the file says otherwise.
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices, required=False, default=None, allow_null=True
    )


class EventSeed(DatedSeed):
    slug = serializers.SlugField(max_length=200)
    title = serializers.CharField(max_length=500)
    summary = serializers.CharField(required=False, default="", allow_blank=True)
    type = serializers.ChoiceField(choices=EventType.choices)
    location = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    participants = ParticipantSeed(many=True, required=False, default=list)

    def validate_participants(self, participants: list[dict]) -> list[dict]:
        pairs = [(p["actor"], p["role"]) for p in participants]
        repeated = sorted({f"{actor} as {role}" for actor, role in pairs if pairs.count((actor, role)) > 1})
        if repeated:
            raise serializers.ValidationError(
                f"an actor takes a role in an event once: {', '.join(repeated)}"
            )
        return participants


class StatementSeed(DatedSeed):
    slug = serializers.SlugField(max_length=200)
    speaker = serializers.SlugField(max_length=200)
    kind = serializers.ChoiceField(choices=StatementKind.choices)
    text = serializers.CharField()
    occasion = serializers.SlugField(max_length=200, required=False, default=None, allow_null=True)
    about = SlugList()


class SeedFile(StrictSerializer):
    """A whole seed file. Every list may be empty; `source` is required."""

    source = SourceSeed()
    actors = ActorSeed(many=True, required=False, default=list)
    conflicts = ConflictSeed(many=True, required=False, default=list)
    events = EventSeed(many=True, required=False, default=list)
    statements = StatementSeed(many=True, required=False, default=list)


def flatten_errors(errors: Any, prefix: str = "") -> list[str]:
    """DRF's nested error structure as lines like 'events[2].participants[0].role: "hosts" is not a valid choice.'"""
    lines: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                label = prefix
            elif isinstance(key, int):  # ListField and ListSerializer errors are keyed by position
                label = f"{prefix}[{key}]"
            else:
                label = f"{prefix}.{key}" if prefix else str(key)
            lines += flatten_errors(value, label)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        lines += [f"{prefix}: {message}" if prefix else str(message) for message in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                lines += flatten_errors(value, f"{prefix}[{index}]")
    else:
        lines.append(f"{prefix}: {errors}" if prefix else str(errors))
    return lines
