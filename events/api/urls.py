"""Routes of the versioned API, mounted at /api/v1/ under the namespace "api"."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from events.api import views
from events.api.changes import ChangesView, DumpView
from events.api.timeline import TimelineView

app_name = "api"

router = DefaultRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    # Keeping a copy in sync (events.changes).
    path("changes/", ChangesView.as_view(), name="changes"),
    path("dump/", DumpView.as_view(), name="dump"),
    *router.urls,
]
