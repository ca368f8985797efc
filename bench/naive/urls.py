"""Routes of the naive build, under /naive/api/ (served only with bench.naive.settings)."""

from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bench.naive import views
from timeline import health

router = DefaultRouter()
router.register("events", views.EventViewSet, basename="naive-event")
router.register("statements", views.StatementViewSet, basename="naive-statement")
router.register("actors", views.ActorViewSet, basename="naive-actor")

urlpatterns = [
    # The project's probes, so a harness can wait for this server as for the real one.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("naive/api/timeline/", views.TimelineView.as_view(), name="naive-timeline"),
    path("naive/api/", include(router.urls)),
    # The admin, as the project serves it (the project's settings name its login page).
    path("admin/", admin.site.urls),
]
