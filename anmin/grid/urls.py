from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("", views.GridEventLedgerView.as_view(), name="event_list"),
    path("report/", views.GridEventReportView.as_view(), name="event_report"),
    path("<int:pk>/", views.GridEventDetailView.as_view(), name="event_detail"),
    path("photos/<int:pk>/", views.EventPhotoView.as_view(), name="photo"),
]
