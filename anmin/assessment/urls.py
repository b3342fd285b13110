from django.urls import path

from . import setup_views, views

app_name = "assessment"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", setup_views.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("units/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
]
