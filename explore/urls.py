"""The researchers' pages, at the site's root: the same natural keys as the API's records."""

from django.urls import path

from explore import views

app_name = "explore"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("events/<slug:slug>/", views.event, name="event"),
    path("statements/<slug:slug>/", views.statement, name="statement"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("conflicts/<slug:slug>/", views.conflict, name="conflict"),
    path("sources/<slug:slug>/", views.source, name="source"),
]
