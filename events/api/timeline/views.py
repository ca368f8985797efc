"""The timeline view: the query string validated, the streams filtered, answered in the format asked for."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils import formatting
from rest_framework.views import APIView

from events.api.renderers import TimelineCSVRenderer, TimelineJSRenderer
from events.api.responses import page_response, set_cache_headers
from events.api.schema import BAD_REQUEST
from events.api.timeline import schema
from events.api.timeline.exports import Snapshot, csv_items, export_size, item_documents, timelinejs_data
from events.api.timeline.filters import TimelineFilter
from events.api.timeline.pagination import MergedCursorPagination


class TimelineView(APIView):
    """Events and statements in one chronological stream, filtered as /events/ and /statements/ are."""

    # Reads are open to all; what each user may see is decided by the selectors.
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, TimelineCSVRenderer, TimelineJSRenderer]
    pagination_class = MergedCursorPagination

    def get_view_description(self, html=False):
        # The browsable API shows the same description as the OpenAPI document.
        return formatting.markup_description(schema.DESCRIPTION) if html else schema.DESCRIPTION

    @extend_schema(
        operation_id="timeline_list",
        description=schema.DESCRIPTION,
        parameters=schema.parameters(),
        responses={
            (200, "application/json"): OpenApiResponse(
                schema.JSON_BODY,
                description="A page of the stream; with format=timelinejs, a TimelineJS3 document instead.",
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="format=csv: every matching item."
            ),
            (400, "application/json"): BAD_REQUEST,
        },
    )
    def get(self, request, *args, **kwargs):
        filterset = TimelineFilter(request.query_params, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        renderer = request.accepted_renderer
        streams = filterset.streams(request.user)
        if isinstance(renderer, TimelineCSVRenderer):
            snapshot = Snapshot()
            try:
                size = export_size(streams)
            except BaseException:
                snapshot.close()
                raise
            response = StreamingHttpResponse(
                renderer.stream(csv_items(streams, request)),
                content_type=f"{renderer.media_type}; charset={renderer.charset}",
            )
            response._resource_closers.append(snapshot.close)
            response["Content-Disposition"] = f'attachment; filename="{renderer.filename}"'
            response["X-Export-Items"] = str(size)
            return response
        if isinstance(renderer, TimelineJSRenderer):
            return Response(timelinejs_data(streams, request))
        paginator = self.pagination_class()
        page = paginator.paginate_streams([item_documents(stream, request) for stream in streams], request)
        return page_response(request, [row["document"] for row in page], paginator)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for: a CSV or TimelineJS error body helps no one.
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), TimelineCSVRenderer | TimelineJSRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        set_cache_headers(request, response)
        return response
