"""Content negotiation: DRF's, with a shortcut for clients that take anything."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        """DRF's choice of renderer; the first one at once when the client takes anything.

        Most API clients (curl, requests, fetch) send `Accept: */*` or none, and no
        `?format=`. DRF would parse the header and match it against every renderer to
        reach the same answer: the first renderer, with its own media type.
        """
        if (
            format_suffix is None
            and request.META.get("HTTP_ACCEPT", "*/*") == "*/*"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        """The renderers of `?format=`; an unknown format is a 400 naming those this endpoint has (DRF: a 404)."""
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError(
                {"format": [f"unknown format {str(format)[:40]!r}; this endpoint answers {known}"]}
            )
        return chosen
