"""URL routes of the project: the versioned JSON API, the admin for editors, the researchers' pages at /."""

from django.contrib import admin
from django.urls import include, path

from timeline import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("events.api.urls")),
    path("admin/", admin.site.urls),
    # Last: its record pages (/events/<slug>/, ...) must not shadow the routes above.
    path("", include("explore.urls")),
]

handler404 = "timeline.errors.not_found"
handler500 = "timeline.errors.server_error"
