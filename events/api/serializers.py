"""JSON shapes of the API. Fields are listed explicitly: what is here is the public contract.

Related records appear as brief objects (`{slug, name, url}`), never bare ids; dates as
`{start, end, precision, text}`; citations as `{source, excerpt, start, end}`.
"""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse

from events import review, services
from events.choices import DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
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
    # Empty when the source has no address, so not documented as a URI.
    source_url = serializers.CharField(source="url")

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


# -- writes ----------------------------------------------------------------------------
# Editors send slugs for related records and the source words for citations; the
# server finds the offsets, resolves the date and answers with the read shape above.


class DateInputSerializer(serializers.Serializer):
    """A date as words (`{"text": "on Thursday"}`, resolved against the first citation's
    source date) or as explicit bounds (`{"start", "end", "precision"}`)."""

    text = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, allow_null=True, default=None
    )


class CitationInputSerializer(serializers.Serializer):
    source = serializers.SlugRelatedField(slug_field="slug", queryset=Source.objects.all())
    excerpt = serializers.CharField()


class ParticipantInputSerializer(serializers.Serializer):
    actor = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all())
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related slugs that must be a JSON list (DRF would read a mapping as its keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SlugsField(serializers.SlugRelatedField):
    """`many=True` slug lists go through StrictManyRelatedField."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {
            "child_relation": cls(*args, **{k: v for k, v in kwargs.items() if k not in MANY_RELATION_KWARGS})
        }
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)


def _rule_error(err: services.RuleError) -> serializers.ValidationError:
    return serializers.ValidationError({err.field: [str(err)]})


class DatedWriteSerializer(serializers.Serializer):
    """What event and statement writes share: slug, date, conflicts, citations, status."""

    read_serializer: type[serializers.Serializer]
    slug = serializers.SlugField(max_length=200)
    date = DateInputSerializer()
    conflicts = SlugsField(slug_field="slug", queryset=Conflict.objects.all(), many=True, required=False)
    citations = CitationInputSerializer(many=True, allow_empty=False)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
        self.check_publish_right(attrs.get("status"))
        if "citations" in attrs:
            attrs["citations"] = [services.CitationInput(**c) for c in attrs["citations"]]
        if "date" in attrs:
            anchor = (
                attrs["citations"][0].source.published_on
                if attrs.get("citations")
                else (instance.date_anchor if instance else None)
            )
            try:
                attrs["date_fields"] = services.fuzzy_date_fields(anchor=anchor, **attrs.pop("date"))
            except services.RuleError as err:
                raise _rule_error(err) from err
        model = self.read_serializer.Meta.model
        slug = attrs.get("slug")
        if slug and model.objects.filter(slug=slug).exclude(pk=getattr(instance, "pk", None)).exists():
            raise serializers.ValidationError(
                {"slug": [f"a {model._meta.verbose_name} with this slug already exists"]}
            )
        return attrs

    def check_publish_right(self, status: str | None) -> None:
        """Publishing or unpublishing needs the publish permission, as in the admin (events.review)."""
        current = self.instance.status if self.instance else ReviewStatus.DRAFT
        if status is None or status == current or ReviewStatus.PUBLISHED not in (status, current):
            return
        request = self.context.get("request")
        model = self.read_serializer.Meta.model
        if request is None or not review.can_publish(request.user, model):
            raise PermissionDenied(
                f"publishing or unpublishing {model._meta.verbose_name_plural} needs the publish permission"
            )

    def plain_fields(self, attrs: dict, names: list[str]) -> dict:
        fields = {name: attrs[name] for name in names if name in attrs}
        fields.update(attrs.get("date_fields", {}))
        return fields

    def to_representation(self, instance):
        return self.read_serializer(instance, context=self.context).data


class EventWriteSerializer(DatedWriteSerializer):
    read_serializer = EventSerializer
    title = serializers.CharField(max_length=500)
    summary = serializers.CharField(required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=EventType.choices)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    participants = ParticipantInputSerializer(many=True, required=False)

    def save_event(self, instance, attrs):
        participants = attrs.get("participants")
        try:
            return services.event_save(
                event=instance,
                fields=self.plain_fields(attrs, ["slug", "title", "summary", "type", "location", "status"]),
                conflicts=attrs.get("conflicts"),
                participants=[(p["actor"], p["role"]) for p in participants]
                if participants is not None
                else None,
                citations=attrs.get("citations"),
            )
        except services.RuleError as err:
            raise _rule_error(err) from err

    def create(self, validated_data):
        return self.save_event(None, validated_data)

    def update(self, instance, validated_data):
        return self.save_event(instance, validated_data)


class StatementWriteSerializer(DatedWriteSerializer):
    read_serializer = StatementSerializer
    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all())
    kind = serializers.ChoiceField(choices=StatementKind.choices)
    text = serializers.CharField()
    occasion = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True
    )
    about = SlugsField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

    def save_statement(self, instance, attrs):
        try:
            return services.statement_save(
                statement=instance,
                fields=self.plain_fields(attrs, ["slug", "speaker", "kind", "text", "occasion", "status"]),
                about=attrs.get("about"),
                conflicts=attrs.get("conflicts"),
                citations=attrs.get("citations"),
            )
        except services.RuleError as err:
            raise _rule_error(err) from err

    def create(self, validated_data):
        return self.save_statement(None, validated_data)

    def update(self, instance, validated_data):
        return self.save_statement(instance, validated_data)


class ActorWriteSerializer(serializers.ModelSerializer):
    affiliation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "description", "affiliation", "aliases", "wikidata_qid"]

    def validate(self, attrs):
        if self.instance and attrs.get("affiliation") == self.instance:
            raise serializers.ValidationError({"affiliation": ["an actor cannot be affiliated to itself"]})
        return attrs

    def to_representation(self, instance):
        return ActorSerializer(instance, context=self.context).data


class ConflictWriteSerializer(serializers.ModelSerializer):
    parties = SlugsField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

    class Meta:
        model = Conflict
        fields = ["slug", "name", "region", "description", "start_date", "end_date", "parties"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and start > end:
            raise serializers.ValidationError({"end_date": ["a conflict cannot end before it starts"]})
        return attrs

    def to_representation(self, instance):
        return ConflictSerializer(instance, context=self.context).data


class SourceWriteSerializer(serializers.ModelSerializer):
    source_url = serializers.URLField(source="url", required=False, allow_blank=True, max_length=1000)

    class Meta:
        model = Source
        fields = [
            "slug",
            "title",
            "publisher",
            "source_url",
            "published_on",
            "language",
            "contributors",
            "text",
            "furniture",
        ]

    def to_representation(self, instance):
        return SourceDetailSerializer(instance, context=self.context).data
