"""URLs of the people registers (mounted at /people/). Every route with a key takes the model's pk."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.PersonLedgerView.as_view(), name="person_list"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("persons/<int:pk>/reveal/", views.PersonRevealView.as_view(), name="person_reveal"),
    path("persons/<int:pk>/visit/", views.PersonVisitView.as_view(), name="person_visit"),
    path("persons/<int:pk>/special/", views.PersonSpecialView.as_view(), name="person_special"),
    path("houses/", views.HouseLedgerView.as_view(), name="house_list"),
    path("houses/<int:pk>/", views.HouseDetailView.as_view(), name="house_detail"),
    path("released/", views.ReleasedLedgerView.as_view(), name="released_list"),
    path("released/<int:pk>/", views.ReleasedDetailView.as_view(), name="released_detail"),
    path("corrections/", views.CorrectionLedgerView.as_view(), name="correction_list"),
    path("corrections/<int:pk>/", views.CorrectionDetailView.as_view(), name="correction_detail"),
    path("drugs/", views.DrugLedgerView.as_view(), name="drug_list"),
    path("drugs/<int:pk>/", views.DrugDetailView.as_view(), name="drug_detail"),
    path("hiv/", views.HivLedgerView.as_view(), name="hiv_list"),
    path("hiv/<int:pk>/", views.HivDetailView.as_view(), name="hiv_detail"),
    path("youth/", views.YouthLedgerView.as_view(), name="youth_list"),
    path("youth/<int:pk>/", views.YouthDetailView.as_view(), name="youth_detail"),
    path("mental/", views.MentalLedgerView.as_view(), name="mental_list"),
    path("mental/<int:pk>/", views.MentalDetailView.as_view(), name="mental_detail"),
    path("mental/overdue/", views.OverdueLedgerView.as_view(), name="overdue_list"),
    path("mental/teams/", views.TeamIncompleteLedgerView.as_view(), name="team_incomplete_list"),
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
