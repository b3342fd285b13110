from django.urls import path

from . import pages, railway_views
from .registries import ALL

app_name = "hazards"

urlpatterns = [
    path("railway/", railway_views.RailwayHazardLedgerView.as_view(), name="railway_list"),
    path("railway/report/", railway_views.RailwayHazardReportView.as_view(), name="railway_report"),
    path("railway/<int:pk>/", railway_views.RailwayHazardDetailView.as_view(), name="railway_detail"),
    *(url for registry in ALL for url in registry.urls()),
    path("inspections/", pages.InspectionLedger.as_view(), name="inspection_list"),
    path("inspections/new/", pages.InspectionCreate.as_view(), name="inspection_new"),
    path("drownings/", pages.DrowningLedger.as_view(), name="drowning_list"),
    path("drownings/new/", pages.DrowningCreate.as_view(), name="drowning_new"),
    path("drunk-driving/", pages.DrunkDrivingPage.as_view(), name="drunk_driving_list"),
    path("drunk-driving/<int:pk>/", pages.DrunkDrivingDetail.as_view(), name="drunk_driving_detail"),
    path("drownings/<int:pk>/", pages.DrowningDetail.as_view(), name="drowning_detail"),
]
