from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("data/", views.DashboardDataView.as_view(), name="dashboard_data"),
    path("bigscreen/", views.BigScreenView.as_view(), name="bigscreen"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/layers/<str:key>/", views.MapLayerView.as_view(), name="map_layer"),
    path("map/heat/", views.MapHeatView.as_view(), name="map_heat"),
    path("tiles/<path:path>", views.LocalTileView.as_view(), name="tile"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/<str:fmt>/", views.ReportFileView.as_view(), name="report_file"),
]
