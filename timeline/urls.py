"""URL routes of the project: the versioned JSON API and the admin for editors."""

from django.contrib import admin
from django.urls import include, path

from timeline import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("events.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "timeline.errors.not_found"
handler500 = "timeline.errors.server_error"
