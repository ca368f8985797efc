"""The admin's article intake: "Add an article", and a source's review page.

Thin views over the services: `events.intake.store.article_ingest` takes the article in
(the same call `manage.py ingest_article` makes), `events.intake.review` accepts and rejects
proposals. `SourceAdmin.get_urls` mounts them:

- `/admin/events/source/add-article/`: the text and its metadata; on success, the review page;
- `/admin/events/source/<id>/review/`: the article with every proposal highlighted in place,
  furniture apart, and the proposals (doubtful first) to accept, edit or reject, one by one
  or selected together. The page costs the same few queries however many proposals it shows.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date as day

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from events.choices import ProposalKind, ProposalState
from events.dates import describe
from events.excerpts import fold
from events.intake import review, warming
from events.intake.highlight import Highlight, article_html
from events.intake.store import article_ingest
from events.intake.validation import IntakeError
from events.models import Actor, IntakeProposal, Source

# Form fields of "Add an article" for each key the service reports a problem with.
_FIELD_OF = {"not_article_body": "furniture", "metadata": None, "file": None}
_LETTER = {ProposalKind.ACTOR: "A", ProposalKind.STATEMENT: "S", ProposalKind.EVENT: "E"}
# ?o= on the review page: the proposals' order. The default puts what still needs a decision
# first, the least sure of it at the top.
ORDERINGS = {
    "confidence": ("pending first, least confident first", ["undecided", "confidence", "start_offset", "id"]),
    "-confidence": ("most confident first", ["undecided", "-confidence", "start_offset", "id"]),
    "position": ("in the order of the text", ["start_offset", "id"]),
    "kind": ("by kind", ["kind", "start_offset", "id"]),
}


class ArticleForm(forms.Form):
    """What an editor gives: the text, pasted, and its metadata (the fields of seeds/source.json).

    Only parsed here; every rule (required fields, dates, the language tag, sizes) is the
    service's, so both doors refuse the same input with the same words."""

    text = forms.CharField(
        label="Article text",
        required=False,
        strip=False,  # the text exactly as pasted: offsets and the checksum depend on it
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text="Paste the whole article as the page prints it, headline and captions included.",
    )
    title = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 80}))
    publisher = forms.CharField(required=False)
    url = forms.CharField(label="URL", required=False, widget=forms.TextInput(attrs={"size": 80}))
    published_on = forms.CharField(
        label="Publication date", required=False, widget=AdminDateWidget, help_text="YYYY-MM-DD."
    )
    language = forms.CharField(initial="en", required=False, help_text="A BCP 47 tag: en, en-GB, fr, uk ...")
    contributors = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), help_text="One name per line."
    )
    furniture = forms.CharField(
        label="Page furniture (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 100}),
        help_text="Lines of the page that are not the article (captions, bylines, related headlines, "
        "“Read more”), one per line, copied exactly. The pipeline flags most of them itself.",
    )

    def metadata(self) -> dict:
        """The form as the metadata of seeds/source.json."""
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "publisher": data["publisher"].strip(),
            "url": data["url"].strip(),
            "published_on": data["published_on"].strip(),
            "language": data["language"].strip(),
            "contributors": _lines(data["contributors"]),
            "not_article_body": _lines(data["furniture"]),
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def review_url(source: Source) -> str:
    return reverse("admin:events_source_review", args=[source.pk])


def add_article_view(model_admin, request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: take the article in, then show its review page (or the errors)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "GET":
        # A gunicorn worker builds the pipeline while the editor pastes (events/intake/warming.py).
        warming.start_on_demand(sys.argv, settings.INTAKE_WARM_UP)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = article_ingest(
                text=form.cleaned_data["text"], metadata=form.metadata(), user=request.user
            )
        except IntakeError as err:
            for key, message in err.problems:
                form.add_error(
                    _FIELD_OF.get(key, key) if key in _FIELD_OF or key in form.fields else None, message
                )
        else:
            counts = report.counts
            messages.success(
                request,
                f"Added “{report.source.title}”: {report.proposals} proposals to review "
                f"({counts['actor']} new actors, {counts['statement']} statements, {counts['event']} events), "
                f"{report.furniture} lines of page furniture, in {report.seconds:.1f} s.",
            )
            for warning in report.warnings:
                messages.warning(request, warning)
            return HttpResponseRedirect(review_url(report.source))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Add an article",
        "form": form,
        "media": model_admin.media + form.media,
        "opts": Source._meta,
    }
    return TemplateResponse(request, "admin/events/source/add_article.html", context)


# --------------------------------------------------------------------------- the review page


@dataclass(frozen=True)
class ProposalRow:
    """One proposal as the review page lists it."""

    proposal: IntakeProposal
    label: str
    what: str
    date: str
    record_url: str
    speaker_options: list[tuple[str, str]]


def review_view(model_admin, request: HttpRequest, source_id: int) -> HttpResponse:
    """GET: the article, highlighted, and its proposals. POST: accept, edit or reject one, or
    the selected ones; then back here (or, after "edit", to the record's change form)."""
    source = get_object_or_404(Source, pk=source_id)
    if not model_admin.has_view_permission(request, source):
        raise PermissionDenied
    if request.method == "POST":
        return _decide(request, source)
    order = request.GET.get("o", "confidence")
    if order not in ORDERINGS:
        order = "confidence"
    proposals = list(
        source.proposals.select_related("decided_by", "actor", "event", "statement")
        .annotate(
            undecided=Case(
                When(state=ProposalState.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(*ORDERINGS[order][1])
    )
    labels = _labels(proposals)
    actors = _named_actors(proposals)
    new_actors = [p for p in proposals if p.kind == ProposalKind.ACTOR and p.state != ProposalState.REJECTED]
    rows = [_row(p, labels[p.pk], actors, new_actors, labels) for p in proposals]
    highlights = [
        Highlight(p.start_offset, p.end_offset, p.kind, p.pk, labels[p.pk], p.state)
        for p in sorted(proposals, key=lambda p: (p.start_offset, p.pk))
    ]
    counts = {state: sum(p.state == state for p in proposals) for state in ProposalState.values}
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Review: {source.title}",
        "source": source,
        "opts": Source._meta,
        "article": article_html(source.text, highlights, furniture_spans(source)),
        "furniture": source.furniture,
        "rows": rows,
        "counts": counts,
        "order": order,
        "orderings": [(key, label) for key, (label, _) in ORDERINGS.items()],
        "kinds": [(kind, kind.label, _LETTER[kind]) for kind in ProposalKind],
    }
    return TemplateResponse(request, "admin/events/source/review.html", context)


def furniture_spans(source: Source) -> list[tuple[int, int]]:
    """Every place the source's furniture lines occur (as the citation rule reads them)."""
    haystack = fold(source.text)
    spans = []
    for line in source.furniture:
        needle = fold(line.strip())
        if not needle:
            continue
        position = haystack.find(needle)
        while position != -1:
            spans.append((position, position + len(needle)))
            position = haystack.find(needle, position + 1)
    return sorted(spans)


def _labels(proposals: list[IntakeProposal]) -> dict[int, str]:
    """ "A1", "S3", "E12": each kind numbered in the order of the text."""
    labels, numbers = {}, dict.fromkeys(_LETTER, 0)
    for proposal in sorted(proposals, key=lambda p: (p.start_offset, p.pk)):
        numbers[proposal.kind] += 1
        labels[proposal.pk] = f"{_LETTER[proposal.kind]}{numbers[proposal.kind]}"
    return labels


def _refs(proposal: IntakeProposal) -> list[dict]:
    data = proposal.data
    if proposal.kind == ProposalKind.ACTOR:
        return [data["affiliation"]] if data.get("affiliation") else []
    if proposal.kind == ProposalKind.STATEMENT:
        return [ref for ref in (data["speaker"], *data["about"]) if ref]
    return [participant["actor"] for participant in data["participants"]]


def _named_actors(proposals: list[IntakeProposal]) -> dict[str, Actor]:
    """The existing actors the proposals name, by slug (one query)."""
    slugs = {ref["slug"] for p in proposals for ref in _refs(p) if not ref["new"]}
    return {actor.slug: actor for actor in Actor.objects.filter(slug__in=slugs).order_by("name")}


def _ref_name(ref: dict | None, labels_by_ref: dict[str, str]) -> str:
    if not ref:
        return "—"
    if ref["new"]:
        return f"{ref['name']} (new, {labels_by_ref.get(ref['slug'], '?')})"
    return ref["name"]


def _row(
    proposal: IntakeProposal,
    label: str,
    actors: dict[str, Actor],
    new_actors: list[IntakeProposal],
    labels: dict[int, str],
) -> ProposalRow:
    data = proposal.data
    by_ref = {p.ref: labels[p.pk] for p in new_actors}
    date = ""
    if proposal.kind == ProposalKind.ACTOR:
        parts = [data["name"], data["kind"].replace("_", " ")]
        if data.get("description"):
            parts.append(f"“{data['description']}”")
        if data.get("affiliation"):
            parts.append(f"of {_ref_name(data['affiliation'], by_ref)}")
        what = ", ".join(parts)
    elif proposal.kind == ProposalKind.STATEMENT:
        what = f"{data['kind']} by {_ref_name(data['speaker'], by_ref)}: “{data['words']}”"
        if data["about"]:
            what += "; about " + ", ".join(_ref_name(ref, by_ref) for ref in data["about"])
    else:
        participants = ", ".join(
            f"{_ref_name(p['actor'], by_ref)} ({p['role']})" for p in data["participants"]
        )
        what = f"{data['type'].replace('_', ' ')}: {data['title']}"
        if participants:
            what += f"; participants {participants}"
        if data["location"]:
            what += f"; in {data['location']}"
    if proposal.kind != ProposalKind.ACTOR:
        when = data["date"]
        if when["precision"] == "unknown":
            date = "not stated"
        else:
            bounds = describe(
                day.fromisoformat(when["start"]), day.fromisoformat(when["end"]), when["precision"]
            )
            date = f"“{when['words']}”: {bounds}"
    options: list[tuple[str, str]] = []
    if proposal.kind == ProposalKind.STATEMENT and proposal.state == ProposalState.PENDING:
        options = [("", f"as proposed: {_ref_name(data['speaker'], by_ref)}")]
        options += [(f"actor-{actor.pk}", actor.name) for actor in actors.values()]
        options += [(f"proposal-{p.pk}", f"{p.data['name']} (new, {labels[p.pk]})") for p in new_actors]
    return ProposalRow(
        proposal=proposal,
        label=label,
        what=what,
        date=date,
        record_url=_record_url(proposal),
        speaker_options=options,
    )


def _record_url(proposal: IntakeProposal) -> str:
    record = proposal.actor or proposal.event or proposal.statement
    if record is None:
        return ""
    return reverse(f"admin:events_{record._meta.model_name}_change", args=[record.pk])


# --------------------------------------------------------------------------- decisions


def _decide(request: HttpRequest, source: Source) -> HttpResponse:
    back = HttpResponseRedirect(review_url(source) + (f"?o={request.GET['o']}" if "o" in request.GET else ""))
    post = request.POST
    speakers = _speakers(post, source)
    try:
        if "bulk" in post:
            selected = list(
                source.proposals.filter(pk__in=[v for v in post.getlist("selected") if v.isdigit()])
            )
            if not selected:
                messages.warning(request, "Nothing selected: tick the proposals to accept or reject.")
            elif post["bulk"] == "accept":
                _report(
                    request, review.proposals_accept(proposals=selected, user=request.user, speakers=speakers)
                )
            elif post["bulk"] == "reject":
                _report(request, review.proposals_reject(proposals=selected, user=request.user))
            return back
        for action in ("accept", "edit", "reject"):
            if action in post:
                proposal = get_object_or_404(IntakeProposal, pk=_int(post[action]), source=source)
                break
        else:
            messages.warning(request, "No decision was sent.")
            return back
        if action == "reject":
            review.proposal_reject(proposal=proposal, user=request.user)
            messages.success(
                request, f"Rejected: {proposal.get_kind_display().lower()} “{_clip(proposal.excerpt)}”."
            )
            return back
        if action == "edit" and proposal.state == ProposalState.ACCEPTED and _record_url(proposal):
            return HttpResponseRedirect(_record_url(proposal))
        accepted = review.proposal_accept(
            proposal=proposal, user=request.user, speaker=speakers.get(proposal.pk)
        )
    except (review.ReviewError, PermissionDenied) as err:
        messages.error(request, f"Nothing changed: {err}.")
        return back
    messages.success(request, _accepted_message(accepted))
    if action == "edit":
        return HttpResponseRedirect(_record_url(accepted.proposal))
    return back


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _speakers(post, source: Source) -> dict[int, review.SpeakerChoice]:
    """The speakers chosen on the page (`speaker-<proposal id>` = "actor-<id>" or "proposal-<id>")."""
    wanted = {}
    for key, value in post.items():
        if key.startswith("speaker-") and value and key[8:].isdigit():
            kind, _, pk = value.partition("-")
            if kind in ("actor", "proposal") and pk.isdigit():
                wanted[int(key[8:])] = (kind, int(pk))
    actors = Actor.objects.in_bulk([pk for kind, pk in wanted.values() if kind == "actor"])
    proposals = source.proposals.filter(kind=ProposalKind.ACTOR).in_bulk(
        [pk for kind, pk in wanted.values() if kind == "proposal"]
    )
    chosen: dict[int, review.SpeakerChoice] = {}
    for proposal_pk, (kind, pk) in wanted.items():
        choice = (actors if kind == "actor" else proposals).get(pk)
        if choice is not None:
            chosen[proposal_pk] = choice
    return chosen


def _accepted_message(accepted: review.Accepted) -> str:
    record = accepted.record
    kind = record._meta.verbose_name
    if isinstance(record, Actor):
        verb = "linked to the existing actor" if accepted.linked_to_existing else "created the actor"
        text = f"Accepted: {verb} {record.name}."
    else:
        text = f"Accepted as a draft {kind}: “{_clip(str(record))}”."
    if accepted.with_actors:
        text += (
            " Also accepted the new actors it names: " + ", ".join(a.name for a in accepted.with_actors) + "."
        )
    if accepted.left_out:
        text += " Left out: " + ", ".join(accepted.left_out) + "."
    return text


def _report(request: HttpRequest, outcome: review.BulkOutcome) -> None:
    accepted = [item for item in outcome.done if isinstance(item, review.Accepted)]
    if accepted:
        also = sorted({actor.name for item in accepted for actor in item.with_actors})
        messages.success(
            request,
            f"Accepted {len(accepted)} as drafts"
            + (f" (with the new actors {', '.join(also)})" if also else "")
            + ".",
        )
    rejected = [item for item in outcome.done if isinstance(item, IntakeProposal)]
    if rejected:
        messages.success(request, f"Rejected {len(rejected)}.")
    for proposal, problem in outcome.refused:
        messages.error(request, f"Not decided: “{_clip(proposal.excerpt)}”: {problem}.")


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pending_link(source: Source) -> str:
    """The changelist's column: pending proposals, linked to the review page."""
    pending = getattr(source, "pending_proposals", 0)
    return format_html('<a href="{}">{} pending</a>', review_url(source), pending)
