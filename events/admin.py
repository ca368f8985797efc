"""The editors' admin: find, correct, review, publish, merge, and see and revert history.

Every model's admin keeps its changelist at a fixed number of queries whatever the
number of rows (`list_select_related`, and list columns that read only the row).
History pages (and revert) come from django-simple-history.
"""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from events import admin_intake, merge_jobs, merging, review, selectors, services
from events.admin_forms import CitationForm, CitationFormSet, FuzzyDateForm, VersionedForm
from events.choices import ProposalState
from events.dates import describe
from events.models import Actor, Citation, Conflict, Event, EventParticipant, MergeJob, Source, Statement

# The admin's home page opens with "Add an article" (the app's own templates come after
# django.contrib.admin's, so overriding admin/index.html by name would not be seen).
admin.site.index_template = "admin/index_with_intake.html"


@admin.display(description="date", ordering="date_start")
def fuzzy_date(record) -> str:
    """ "Thu 2 Mar 2017", "week of 27 Feb 2017", "Dec 2016", or "date unknown"."""
    return describe(record.date_start, record.date_end, record.date_precision)


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 0
    # Every event and statement keeps a citation: deleting the last one is refused here,
    # and by the database for any other writer (events.rules).
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # Django's inline takes min_num but not validate_min, without which min_num only
        # sets how many empty forms are shown.
        return super().get_formset(request, obj, validate_min=self.min_num > 0, **kwargs)

    autocomplete_fields = ["source"]
    readonly_fields = ["start_offset", "end_offset"]
    fields = ["source", "excerpt", "start_offset", "end_offset"]


class ActorCitationInline(CitationInline):
    min_num = 0


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ["actor"]


class ReviewActionsMixin:
    """Admin actions for the workflow; publishing needs the publish permission."""

    actions = ["mark_reviewed", "publish", "unpublish"]
    readonly_fields = [
        "status",
        "reviewed_by",
        "reviewed_at",
        "published_by",
        "published_at",
        "created_at",
        "updated_at",
    ]

    def has_publish_permission(self, request) -> bool:
        return services.can_publish(request.user, self.model)

    def _report(self, request, result: review.ReviewResult, verb: str) -> None:
        self.message_user(
            request, f"{result.changed} {verb}.", messages.SUCCESS if result.changed else messages.WARNING
        )
        if result.skipped:
            self.message_user(
                request, f"{result.skipped} left as they were: {result.reason}.", messages.WARNING
            )

    @admin.action(description="Mark selected as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._report(
            request, review.records_mark_reviewed(records=queryset, user=request.user), "marked reviewed"
        )

    @admin.action(description="Publish selected (reviewed) records", permissions=["publish"])
    def publish(self, request, queryset):
        self._report(request, review.records_publish(records=queryset, user=request.user), "published")

    @admin.action(description="Unpublish selected records", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._report(request, review.records_unpublish(records=queryset, user=request.user), "unpublished")

    def get_form(self, request, obj=None, **kwargs):
        # The form checks the publish permission of whoever saves it (a revert from the
        # history may bring back another status: events.services.require_publish_right).
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "date_text" in form.changed_data or not change:
            when = describe(obj.date_start, obj.date_end, obj.date_precision)
            self.message_user(request, f'Date "{obj.date_text}" is {when} ({obj.date_precision} precision).')


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    """Sources, and article intake: "Add an article" and each source's review page
    (`events.admin_intake`), linked from the changelist, the change form and the admin index."""

    form = VersionedForm
    list_display = ["title", "publisher", "published_on", "language", "proposals"]
    list_filter = ["publisher", "language"]
    search_fields = ["title", "publisher", "url", "slug"]
    date_hierarchy = "published_on"
    readonly_fields = ["checksum", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    # A URL typed without a scheme is https (Django 6's default, adopted now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "add-article/",
                wrap(partial(admin_intake.add_article_view, self)),
                name="events_source_add_article",
            ),
            path(
                "<int:source_id>/review/",
                wrap(partial(admin_intake.review_view, self)),
                name="events_source_review",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # The pending count of the list's "proposals" column, in the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(pending_proposals=Count("proposals", filter=Q(proposals__state=ProposalState.PENDING)))
        )

    @admin.display(description="proposals", ordering="pending_proposals")
    def proposals(self, source: Source) -> str:
        return admin_intake.pending_link(source)


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["name", "kind", "description", "affiliation"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["affiliation"]
    inlines = [ActorCitationInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["merge_actors"]

    def get_search_results(self, request, queryset, search_term):
        """Names and aliases, ignoring case and accents ("kremlin", "Sarraj"), plus descriptions."""
        if not search_term:
            return queryset, False
        matches = selectors.actors_matching(Actor.objects.all(), search_term).values("pk")
        return queryset.filter(Q(pk__in=matches) | Q(description__icontains=search_term)), False

    def has_merge_permission(self, request) -> bool:
        # Merging deletes the duplicates: it needs both rights (Django offers an action to
        # anyone holding any one of its listed permissions).
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge selected actors into one", permissions=["merge"])
    def merge_actors(self, request, queryset):
        """Asks which actor to keep (and to confirm a merge across kinds), then merges."""
        actors = list(queryset.order_by("name"))
        target_id = request.POST.get("target")
        if request.POST.get("post") == "yes" and target_id:
            target = next((a for a in actors if str(a.pk) == target_id), None)
            if target is None:
                raise PermissionDenied("the target must be one of the selected actors")
            others = [a for a in actors if a.pk != target.pk]
            try:
                outcome = merge_jobs.merge_or_queue(
                    target=target,
                    others=others,
                    confirm_kinds=request.POST.get("confirm_kinds") == "yes",
                    user=request.user,
                )
            except merging.MergeError as err:
                self.message_user(request, f"Nothing merged: {err}.", messages.ERROR)
                return None
            if isinstance(outcome, MergeJob):
                self.message_user(
                    request,
                    format_html(
                        "Queued: this merge moves {} links, more than a request may. "
                        '<a href="{}">Follow it here</a>; nothing changes until it is done.',
                        f"{outcome.links:,}",
                        reverse("admin:events_mergejob_change", args=[outcome.pk]),
                    ),
                    messages.WARNING,
                )
                return HttpResponseRedirect(reverse("admin:events_mergejob_change", args=[outcome.pk]))
            report = outcome
            self.message_user(
                request,
                f"Merged {', '.join(report.merged)} into {target.name}: {report.participations} participations, "
                f"{report.statements} statements, {report.mentions} mentions, {report.conflicts} conflict parties, "
                f"{report.affiliates} affiliates, {report.citations} citations moved; "
                f"aliases added: {', '.join(report.aliases_added) or 'none'}.",
                messages.SUCCESS,
            )
            return None
        if len(actors) < 2:
            self.message_user(
                request, "Nothing merged: select at least two actors (one is kept).", messages.ERROR
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge actors",
            "actors": actors,
            "kinds_differ": len({a.kind for a in actors}) > 1,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/actor/merge.html", context)


@admin.register(MergeJob)
class MergeJobAdmin(admin.ModelAdmin):
    """Merges queued for the worker (events.merge_jobs): where each is, read-only.

    A page of a job still queued or running reloads itself every few seconds.
    """

    list_display = ["__str__", "status", "links", "requested_by", "created_at", "finished_at"]
    list_filter = ["state"]
    fields = [
        "target",
        "others_names",
        "links",
        "status",
        "moved",
        "error",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/events/mergejob/change_form.html"

    @admin.display(description="status")
    def status(self, job: MergeJob) -> str:
        return str(merge_jobs.job_status(job))

    @admin.display(description="moved")
    def moved(self, job: MergeJob) -> str:
        if not job.report:
            return "-"
        r = job.report
        return (
            f"{r['participations']} participations, {r['statements']} statements, {r['mentions']} mentions, "
            f"{r['conflicts']} conflict parties, {r['affiliates']} affiliates, {r['citations']} citations; "
            f"aliases added: {', '.join(r['aliases_added']) or 'none'}"
        )

    def has_add_permission(self, request) -> bool:
        return False  # jobs are queued by the actors' merge action

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("events.change_actor")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a job is the record of a merge; a queued one runs

    def render_change_form(self, request, context, *args, **kwargs):
        job = context.get("original")
        context["reload"] = job is not None and job.state == "queued"
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(Conflict)
class ConflictAdmin(SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["name", "region", "start_date", "end_date"]
    list_filter = ["region"]
    search_fields = ["name", "slug", "region", "description"]
    autocomplete_fields = ["parties"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Event)
class EventAdmin(ReviewActionsMixin, SimpleHistoryAdmin):
    form = FuzzyDateForm
    list_display = ["title", fuzzy_date, "type", "location", "status"]
    list_filter = ["type", "date_precision", "status", "conflicts", "participations__actor__kind"]
    search_fields = [
        "title",
        "summary",
        "location",
        "slug",
        "participations__actor__name",
        "citations__excerpt",
    ]
    date_hierarchy = "date_start"
    autocomplete_fields = ["conflicts"]
    inlines = [ParticipantInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["slug", "title", "summary", "type", "location", "conflicts", "version_seen"]}),
        (
            "Date",
            {
                "fields": ["date_text", "date_anchor", "date_start", "date_end", "date_precision"],
                "description": 'Type the source\'s words ("on Thursday") and save: start, end and precision are '
                "worked out against the anchor (empty: the first citation's publication date).",
            },
        ),
        ("Review", {"fields": ReviewActionsMixin.readonly_fields}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Also finds events by any alias of a participant ("Sarraj" finds the Moscow talks)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            actors = selectors.actors_matching(Actor.objects.all(), search_term).values("pk")
            found |= queryset.filter(participations__actor__in=actors)
            may_have_duplicates = True
        return found, may_have_duplicates


@admin.register(Statement)
class StatementAdmin(ReviewActionsMixin, SimpleHistoryAdmin):
    form = FuzzyDateForm
    list_display = ["short_text", "speaker", "kind", fuzzy_date, "status"]
    list_filter = ["kind", "date_precision", "status", "conflicts", "speaker__kind"]
    list_select_related = ["speaker"]
    search_fields = ["text", "slug", "speaker__name", "citations__excerpt"]
    date_hierarchy = "date_start"
    autocomplete_fields = ["speaker", "occasion", "about", "conflicts"]
    inlines = [CitationInline]
    fieldsets = [
        (
            None,
            {"fields": ["slug", "speaker", "kind", "text", "occasion", "about", "conflicts", "version_seen"]},
        ),
        ("Date", {"fields": ["date_text", "date_anchor", "date_start", "date_end", "date_precision"]}),
        ("Review", {"fields": ReviewActionsMixin.readonly_fields}),
    ]

    @admin.display(description="words", ordering="text")
    def short_text(self, statement: Statement) -> str:
        return statement.text if len(statement.text) <= 90 else statement.text[:89] + "…"
