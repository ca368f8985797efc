"""Plain nested ModelSerializers, as a first cut of a DRF API usually has them.

They carry roughly what the real API's list items carry (participants with their actors
and roles, conflicts, citations with their sources, dates, status), with flat model
fields instead of the real API's `date` object and brief `{slug, name, url}` links.

Nothing here (nor in the views) selects or prefetches related rows: each nested
relation of each item is its own query, so a page of N events costs several queries per
event (the N+1 the benchmark shows).
"""

from rest_framework import serializers

from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement

DATE_FIELDS = ["date_text", "date_anchor", "date_start", "date_end", "date_precision"]


class ActorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "kind"]


class SourceBriefSerializer(serializers.ModelSerializer):
    # Not the full text: a citation names its source, it does not copy it.
    class Meta:
        model = Source
        fields = ["id", "slug", "title", "publisher", "url", "published_on"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "excerpt", "start_offset", "end_offset"]


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conflict
        fields = ["id", "slug", "name", "region", "start_date", "end_date"]


class EventParticipantSerializer(serializers.ModelSerializer):
    actor = ActorBriefSerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["actor", "role"]


class EventBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "slug", "title"]


class EventSerializer(serializers.ModelSerializer):
    participants = EventParticipantSerializer(source="participations", many=True, read_only=True)
    conflicts = ConflictSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "type",
            *DATE_FIELDS,
            "location",
            "participants",
            "conflicts",
            "citations",
            "status",
            "updated_at",
        ]


class StatementSerializer(serializers.ModelSerializer):
    speaker = ActorBriefSerializer(read_only=True)
    occasion = EventBriefSerializer(read_only=True)
    about = ActorBriefSerializer(many=True, read_only=True)
    conflicts = ConflictSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "slug",
            "speaker",
            "kind",
            "text",
            *DATE_FIELDS,
            "occasion",
            "about",
            "conflicts",
            "citations",
            "status",
            "updated_at",
        ]


class ActorSerializer(serializers.ModelSerializer):
    affiliation = ActorBriefSerializer(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "description",
            "affiliation",
            "aliases",
            "wikidata_qid",
            "citations",
            "updated_at",
        ]
