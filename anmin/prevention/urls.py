from django.urls import path

from . import views
from .registries import ALL

app_name = "prevention"

urlpatterns = [
    *(url for registry in ALL for url in registry.urls()),
    path("patrols/", views.PatrolLogListView.as_view(), name="patrol_list"),
    path("patrols/start/", views.PatrolStartView.as_view(), name="patrol_start"),
    path("patrols/<int:pk>/", views.PatrolView.as_view(), name="patrol_detail"),
    path("activities/", views.LiaisonActivityListView.as_view(), name="activity_list"),
    path("activities/<int:pk>/", views.LiaisonActivityDetailView.as_view(), name="activity_detail"),
    path("police/", views.PoliceActivityLedgerView.as_view(), name="police_list"),
    path("police/<int:pk>/", views.PoliceActivityDetailView.as_view(), name="police_detail"),
]
