"""JSON shapes of the API. Fields are listed explicitly: what is here is the public contract.

Related records appear as brief objects (`{slug, name, url}`), never bare ids; dates as
`{start, end, precision, text}`; citations as `{source, excerpt, start, end}`.
"""

from rest_framework import serializers
from rest_framework.reverse import reverse

from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement


class BriefSerializer(serializers.Serializer):
    """`{slug, name, url}` for a related record; subclasses say which route and which name field."""

    route = ""
    name_field = "name"
    slug = serializers.SlugField(read_only=True)
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_name(self, instance) -> str:
        return getattr(instance, self.name_field)

    def get_url(self, instance) -> str:
        return reverse(self.route, kwargs={"slug": instance.slug}, request=self.context.get("request"))


class ActorBriefSerializer(BriefSerializer):
    route = "api:actor-detail"


class ConflictBriefSerializer(BriefSerializer):
    route = "api:conflict-detail"


class EventBriefSerializer(BriefSerializer):
    route = "api:event-detail"
    name_field = "title"


class SourceBriefSerializer(BriefSerializer):
    route = "api:source-detail"
    name_field = "title"


class FuzzyDateSerializer(serializers.Serializer):
    """The item's date: inclusive start and end, precision, and the source's own words."""

    start = serializers.DateField(source="date_start", allow_null=True)
    end = serializers.DateField(source="date_end", allow_null=True)
    precision = serializers.CharField(source="date_precision")
    text = serializers.CharField(source="date_text")
    anchor = serializers.DateField(source="date_anchor", allow_null=True)


class CitationSerializer(serializers.ModelSerializer):
    """The exact words of a source supporting the item; text[start:end] == excerpt."""

    source = SourceBriefSerializer(read_only=True)
    start = serializers.IntegerField(source="start_offset")
    end = serializers.IntegerField(source="end_offset")

    class Meta:
        model = Citation
        fields = ["source", "excerpt", "start", "end"]


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ActorBriefSerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["actor", "role"]


class EventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail", lookup_field="slug")
    date = FuzzyDateSerializer(source="*", read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    conflicts = ConflictBriefSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "type",
            "date",
            "location",
            "participants",
            "conflicts",
            "citations",
            "status",
            "updated_at",
        ]


class StatementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-detail", lookup_field="slug")
    speaker = ActorBriefSerializer(read_only=True)
    date = FuzzyDateSerializer(source="*", read_only=True)
    occasion = EventBriefSerializer(read_only=True, allow_null=True)
    about = ActorBriefSerializer(many=True, read_only=True)
    conflicts = ConflictBriefSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "slug",
            "url",
            "speaker",
            "kind",
            "text",
            "date",
            "occasion",
            "about",
            "conflicts",
            "citations",
            "status",
            "updated_at",
        ]


class ActorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail", lookup_field="slug")
    affiliation = ActorBriefSerializer(read_only=True, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "url",
            "name",
            "kind",
            "description",
            "affiliation",
            "aliases",
            "wikidata_qid",
            "citations",
            "updated_at",
        ]


class ConflictSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:conflict-detail", lookup_field="slug")
    parties = ActorBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Conflict
        fields = [
            "slug",
            "url",
            "name",
            "region",
            "description",
            "start_date",
            "end_date",
            "parties",
            "updated_at",
        ]


class SourceSerializer(serializers.ModelSerializer):
    """A source; lists leave out the full text, which the detail carries."""

    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="slug")
    source_url = serializers.URLField(source="url")

    class Meta:
        model = Source
        fields = [
            "slug",
            "url",
            "title",
            "publisher",
            "source_url",
            "published_on",
            "language",
            "contributors",
            "checksum",
            "updated_at",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "furniture", "text"]


class ErrorSerializer(serializers.Serializer):
    """A 400 body: each bad parameter (or `non_field_errors`) with what is wrong with it."""

    parameter = serializers.ListField(
        child=serializers.CharField(), help_text="Named after the offending parameter, e.g. `date_after`."
    )
