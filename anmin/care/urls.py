"""URLs of severe-mental-disorder care (mounted at /care/; the old /people/... addresses redirect here)."""

from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("mental/", views.MentalLedgerView.as_view(), name="mental_list"),
    path("mental/<int:pk>/", views.MentalDetailView.as_view(), name="mental_detail"),
    path("mental/overdue/", views.OverdueLedgerView.as_view(), name="overdue_list"),
    path("mental/teams/", views.TeamIncompleteLedgerView.as_view(), name="team_incomplete_list"),
    path("persons/<int:pk>/visit/", views.PersonVisitView.as_view(), name="person_visit"),
    path("assessments/", views.AssessmentLedgerView.as_view(), name="assessment_list"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("visits/", views.VisitLedgerView.as_view(), name="visit_list"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("incidents/", views.IncidentLedgerView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("subsidies/", views.SubsidyLedgerView.as_view(), name="subsidy_list"),
    path("subsidies/<int:pk>/", views.SubsidyDetailView.as_view(), name="subsidy_detail"),
    path("payments/", views.PaymentLedgerView.as_view(), name="payment_list"),
]
