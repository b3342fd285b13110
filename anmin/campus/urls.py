from django.urls import path

from . import entry_pages, pages, views
from .registries import ALL

app_name = "campus"

urlpatterns = [
    *(url for registry in ALL for url in registry.urls()),
    path("posts/<int:pk>/checkin/", views.CheckinView.as_view(), name="post_checkin"),
    path("incidents/", pages.IncidentLedger.as_view(), name="incident_list"),
    path("incidents/new/", pages.IncidentCreate.as_view(), name="incident_new"),
    path("incidents/<int:pk>/", pages.IncidentDetail.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/edit/", pages.IncidentEdit.as_view(), name="incident_edit"),
    path("checks/", pages.CheckLedger.as_view(), name="check_list"),
    path("checks/new/", entry_pages.CheckCreate.as_view(), name="check_new"),
]
