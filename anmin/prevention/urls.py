from django.urls import path

from . import entry_pages, views
from .registries import ALL

app_name = "prevention"

urlpatterns = [
    *(url for registry in ALL for url in registry.urls()),
    path("patrols/", views.PatrolLogListView.as_view(), name="patrol_list"),
    path("patrols/start/", views.PatrolStartView.as_view(), name="patrol_start"),
    path("patrols/<int:pk>/", views.PatrolView.as_view(), name="patrol_detail"),
    path("activities/", views.LiaisonActivityListView.as_view(), name="activity_list"),
    path("activities/new/", entry_pages.ActivityCreate.as_view(), name="activity_new"),
    path("activities/<int:pk>/", views.LiaisonActivityDetailView.as_view(), name="activity_detail"),
    path("police/", views.PoliceActivityLedgerView.as_view(), name="police_list"),
    path("police/new/", entry_pages.PoliceMonthCreate.as_view(), name="police_new"),
    path("police/<int:pk>/", views.PoliceActivityDetailView.as_view(), name="police_detail"),
]
