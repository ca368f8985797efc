"""/api/v1/changes/ and /api/v1/dump/: how a downstream copy of the timeline stays exact.

Thin views over `events.changes`: the feed answers a page of entries after a cursor, the
dump streams every visible record in one snapshot with the cursor to follow the feed
from. What each answer holds, and why it is exact, is said there and in the schema
(`events.api.changes_schema`).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import router
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import formatting
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from events.api import changes_schema as schema
from events.api.negotiation import ContentNegotiation
from events.api.pagination import parse_page_size
from events.api.responses import DocumentsResponse, set_cache_headers, wants_json
from events.changes import feed
from events.changes.dump import dump_lines, gzipped, pieces
from events.models import Event
from timeline.throttles import AnonymousClientThrottle


def refuse_unknown_parameters(request, known: tuple[str, ...]) -> None:
    """A 400 naming each query parameter the endpoint does not take, or takes once and got twice."""
    problems = {}
    for name in request.query_params:
        if name not in known:
            takes = ", ".join(known) if known else "no parameters"
            problems[name] = [f"unknown parameter; this endpoint takes: {takes}"]
        elif len(request.query_params.getlist(name)) > 1:
            problems[name] = ["give this parameter once"]
    if problems:
        raise ValidationError(problems)


class FormatNegotiation(ContentNegotiation):
    """The project's negotiation, with an unknown `?format=` a 400 naming it (DRF answers 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            formats = " or ".join(renderer.format for renderer in renderers)
            wanted = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE, "")[:40]
            raise ValidationError(
                {"format": [f"unknown format {wanted!r}; this endpoint answers {formats}"]}
            ) from None


def dump_url(request) -> str:
    return request.build_absolute_uri(reverse("api:dump"))


def entry_json(entry: feed.Entry) -> str:
    """An entry as JSON text; an upsert's document is spliced in as PostgreSQL wrote it."""
    head = f'{{"cursor":{json.dumps(entry.cursor)},"op":"{entry.op}","kind":"{entry.kind}","slug":{json.dumps(entry.slug)}'
    if entry.document is not None:
        return f'{head},"document":{entry.document}}}'
    if entry.into is not None:
        return f'{head},"into":{json.dumps(entry.into)}}}'
    return head + "}"


class ChangesView(APIView):
    """The change feed: entries after `?after=CURSOR`, in commit order, each with its cursor."""

    permission_classes = [permissions.AllowAny]  # what each reader sees is the selectors' business
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    content_negotiation_class = FormatNegotiation
    parameters = ("after", "page_size", "format")

    def get_view_description(self, html=False):
        return formatting.markup_description(schema.FEED) if html else schema.FEED

    @schema.feed_schema
    def get(self, request, *args, **kwargs):
        refuse_unknown_parameters(request, self.parameters)
        page_size = parse_page_size(request.query_params.get("page_size"))
        try:
            page = feed.changes_page(
                user=request.user,
                after=request.query_params.get("after"),
                page_size=page_size,
                request=request,
            )
        except feed.CursorInvalid:
            raise ValidationError(
                {
                    "after": [
                        "invalid cursor: use the cursor of a page or entry of this feed, or a dump's first line"
                    ]
                }
            ) from None
        except feed.CursorGone as gone:
            return Response({"detail": gone.reason, "dump": dump_url(request)}, status=410)
        next_url = replace_query_param(request.build_absolute_uri(), "after", page.cursor)
        body = "".join(
            [
                '{"next":',
                json.dumps(next_url),
                ',"previous":null,"cursor":',
                json.dumps(page.cursor),
                ',"more":',
                "true" if page.more else "false",
                ',"results":[',
                ",".join(entry_json(entry) for entry in page.entries),
                "]}",
            ]
        )
        if wants_json(request):
            return DocumentsResponse(body)
        return Response(json.loads(body))

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON in every format: the browsable API's HTML page of an error helps no client.
        if response.status_code >= 400 and not isinstance(
            getattr(request, "accepted_renderer", None), JSONRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        set_cache_headers(request, response)
        return response


class NDJSONRenderer(JSONRenderer):
    """Newline-delimited JSON: the dump's lines (the view streams them; errors are answered as JSON)."""

    media_type = "application/x-ndjson"
    format = "ndjson"


class DumpAnonThrottle(AnonymousClientThrottle):
    """Anonymous dumps: `CHANGES_DUMP_ANON_RATE` per client, so they cannot tie up the workers."""

    scope = "dump"

    def get_rate(self) -> str:
        return settings.CHANGES_DUMP_ANON_RATE


class DumpView(APIView):
    """Every record the reader may see, in one snapshot, as NDJSON; the first line holds the feed's cursor."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [NDJSONRenderer, JSONRenderer]
    content_negotiation_class = FormatNegotiation
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, DumpAnonThrottle]

    def get_view_description(self, html=False):
        return formatting.markup_description(schema.DUMP) if html else schema.DUMP

    @schema.dump_schema
    def get(self, request, *args, **kwargs):
        refuse_unknown_parameters(request, ())
        if settings.CHANGES_DUMP_URL and not request.user.is_authenticated:
            # A large database's dump is published as a file (export_dump on a schedule):
            # its cursor stays good to follow for the retention period.
            response = HttpResponseRedirect(settings.CHANGES_DUMP_URL)
            response["Cache-Control"] = "no-cache"
            return response
        # Chosen now, while the request's routing is in force: the body is read after the view returns.
        using = router.db_for_read(Event) or "default"
        chunks = pieces(dump_lines(user=request.user, request=request, using=using))
        compress = "gzip" in request.headers.get("Accept-Encoding", "")
        response = StreamingHttpResponse(
            gzipped(chunks) if compress else chunks, content_type=NDJSONRenderer.media_type
        )
        if compress:
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        response["Content-Disposition"] = 'attachment; filename="timeline-dump.ndjson"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are one JSON object, served as JSON: an NDJSON error body helps no one.
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), NDJSONRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        set_cache_headers(request, response)
        if response.status_code == 200:
            # A dump is read once, in one piece: no cache should keep hundreds of megabytes of it.
            response["Cache-Control"] = "no-store"
        return response
