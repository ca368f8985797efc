"""What the API's writes take: slugs for related records, the source's words for citations.

What the API reads out (and answers a write with) is declared once, in
`events.read_model.shapes`; these serializers check a write's input and hand it to the
services every writer goes through (`events.services`).
"""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.relations import MANY_RELATION_KWARGS

from events import services
from events.choices import DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
from events.models import Actor, Conflict, Event, Source, Statement


class ErrorSerializer(serializers.Serializer):
    """A 400 body: each bad parameter (or `non_field_errors`) with what is wrong with it."""

    parameter = serializers.ListField(
        child=serializers.CharField(), help_text="Named after the offending parameter, e.g. `date_after`."
    )


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

    model: type
    slug = serializers.SlugField(max_length=200)
    date = DateInputSerializer()
    conflicts = SlugsField(slug_field="slug", queryset=Conflict.objects.all(), many=True, required=False)
    citations = CitationInputSerializer(many=True, allow_empty=False)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
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
        model = self.model
        slug = attrs.get("slug")
        if slug and model.objects.filter(slug=slug).exclude(pk=getattr(instance, "pk", None)).exists():
            raise serializers.ValidationError(
                {"slug": [f"a {model._meta.verbose_name} with this slug already exists"]}
            )
        return attrs

    def editor(self):
        """Who writes: the request's user (the services check the publish permission against it)."""
        request = self.context.get("request")
        return request.user if request is not None else None

    def plain_fields(self, attrs: dict, names: list[str]) -> dict:
        fields = {name: attrs[name] for name in names if name in attrs}
        fields.update(attrs.get("date_fields", {}))
        return fields


class EventWriteSerializer(DatedWriteSerializer):
    model = Event
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
                user=self.editor(),
                fields=self.plain_fields(attrs, ["slug", "title", "summary", "type", "location", "status"]),
                conflicts=attrs.get("conflicts"),
                participants=[(p["actor"], p["role"]) for p in participants]
                if participants is not None
                else None,
                citations=attrs.get("citations"),
            )
        except services.RuleError as err:
            raise _rule_error(err) from err
        except services.PublishDenied as err:
            raise PermissionDenied(str(err)) from err

    def create(self, validated_data):
        return self.save_event(None, validated_data)

    def update(self, instance, validated_data):
        return self.save_event(instance, validated_data)


class StatementWriteSerializer(DatedWriteSerializer):
    model = Statement
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
                user=self.editor(),
                fields=self.plain_fields(attrs, ["slug", "speaker", "kind", "text", "occasion", "status"]),
                about=attrs.get("about"),
                conflicts=attrs.get("conflicts"),
                citations=attrs.get("citations"),
            )
        except services.RuleError as err:
            raise _rule_error(err) from err
        except services.PublishDenied as err:
            raise PermissionDenied(str(err)) from err

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
