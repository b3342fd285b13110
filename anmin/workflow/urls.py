from django.urls import path

from . import views
from .kit.coverage_views import CoverageGapsView

app_name = "workflow"
urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("cases/", views.CaseLedgerView.as_view(), name="case_list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/act/", views.CaseActView.as_view(), name="case_act"),
    path("supervisions/", views.SupervisionLedgerView.as_view(), name="supervision_list"),
    path("coverage/", CoverageGapsView.as_view(), name="coverage_gaps"),
    path("supervisions/<int:pk>/", views.SupervisionDetailView.as_view(), name="supervision_detail"),
]
