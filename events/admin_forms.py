"""Admin forms: dates typed as words, and citations typed as the source's words.

The rules are the loader's and the API's (`events.services`, `events.excerpts`): one
implementation, three callers.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from events import services
from events.choices import DatePrecision, StatementKind
from events.excerpts import ExcerptError, locate_excerpt
from events.models import Citation, Source


class VersionedForm(forms.ModelForm):
    """Refuses to save over someone else's save made since this form was opened.

    The form carries the version it was opened at; on save the stored version is read
    under a row lock (the admin's change view runs in one transaction) and compared.
    """

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The history page's revert form is built on an old copy of the record: the
            # version it starts from is the stored one, or every revert would look stale.
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None:
                self.instance.version = stored
        self.fields["version_seen"].initial = self.instance.version if self.instance.pk else None

    def clean(self):
        data = super().clean()
        seen = data.get("version_seen")
        if self.instance.pk and seen is not None:
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != seen:
                raise ValidationError(
                    f"Someone else saved this record since you opened it (it is now at version {current}, you opened "
                    f"version {seen}). Your changes were not saved: open the record again to see theirs."
                )
        return data


class FuzzyDateForm(VersionedForm):
    """An event or statement form whose date can be typed as words.

    Type "on Thursday" or "December 2016" in the date text and leave the bounds alone: it
    is resolved against the anchor (the date given, else the first citation's source
    publication date) into start, end and precision, shown on the saved form. Or set
    start, end and precision by hand: they must fit one another.
    """

    date_precision = forms.ChoiceField(
        choices=[("", "(from the words)"), *DatePrecision.choices],
        required=False,
        help_text="Leave empty to resolve the words; set with start and end to give the date by hand.",
    )

    editor = None  # set by the admin (ReviewActionsMixin.get_form): who is saving

    def clean(self):
        data = super().clean()
        self.check_publish_right()
        text = (data.get("date_text") or "").strip()
        start, end, precision = (
            data.get("date_start"),
            data.get("date_end"),
            data.get("date_precision") or None,
        )
        anchor = data.get("date_anchor") or self.citation_anchor() or self.instance.date_anchor
        from_words = bool(text) and ("date_text" in self.changed_data or precision is None)
        try:
            if from_words:
                fields = services.fuzzy_date_fields(text=text, anchor=anchor)
            else:
                fields = services.fuzzy_date_fields(
                    text=text,
                    start=start,
                    end=end,
                    precision=precision or DatePrecision.UNKNOWN,
                    anchor=anchor,
                )
        except services.RuleError as err:
            raise ValidationError({"date_text" if from_words else "date_precision": str(err)}) from err
        data.update(fields)
        return data

    def check_publish_right(self) -> None:
        """A save that changes whether the record is published needs the publish permission.

        The change form never edits the status (the review actions do), but a revert from
        the history page restores the status the record had then.
        """
        if self.editor is None or not self.instance.pk:
            return
        stored = (
            type(self.instance).objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        )
        try:
            services.require_publish_right(
                self.editor, type(self.instance), current=stored, wanted=self.instance.status
            )
        except services.PublishDenied as err:
            raise ValidationError(f"Not saved: {err}.") from err

    def citation_anchor(self):
        """The publication date of the first source chosen in the citations inline, if any."""
        for index in range(int(self.data.get("citations-TOTAL_FORMS") or 0)):
            source_id = self.data.get(f"citations-{index}-source")
            if source_id and not self.data.get(f"citations-{index}-DELETE") and source_id.isdigit():
                source = Source.objects.filter(pk=source_id).only("published_on").first()
                if source:
                    return source.published_on
        return None


class CitationForm(forms.ModelForm):
    """A citation typed as the source's words; the offsets are found, not typed."""

    class Meta:
        model = Citation
        fields = ["source", "excerpt"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        data = super().clean()
        source, excerpt = data.get("source"), data.get("excerpt")
        if source and excerpt:
            try:
                span = locate_excerpt(source.text, excerpt, furniture=source.furniture)
            except ExcerptError as err:
                raise ValidationError({"excerpt": str(err)}) from err
            data["excerpt"] = span.excerpt
            self.instance.start_offset, self.instance.end_offset = span.start, span.end
        return data


class CitationFormSet(BaseInlineFormSet):
    """The citations of one event or statement, checked together with the record they support.

    A quote's words must appear in one of its citations (`events.services.quote_as_printed`,
    the rule the API and the loader apply); they are stored as the source prints them.
    """

    def clean(self):
        super().clean()
        record = self.instance
        if getattr(record, "kind", None) != StatementKind.QUOTE or any(form.errors for form in self.forms):
            return
        excerpts = [
            form.cleaned_data["excerpt"]
            for form in self.forms
            if form.cleaned_data.get("excerpt") and not form.cleaned_data.get("DELETE")
        ]
        try:
            record.text = services.quote_as_printed(record.text, excerpts)
        except services.RuleError as err:
            raise ValidationError(f"Not saved: {err}.") from err
