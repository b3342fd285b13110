"""URLs of the people registers (mounted at /people/). Every route with a key takes the model's pk."""

from django.urls import path
from django.views.generic import RedirectView

from . import house_views, views

MOVED_TO_CARE = (
    ("mental/", "mental_list"),
    ("mental/<int:pk>/", "mental_detail"),
    ("mental/overdue/", "overdue_list"),
    ("mental/teams/", "team_incomplete_list"),
    ("assessments/", "assessment_list"),
    ("assessments/<int:pk>/", "assessment_detail"),
    ("visits/", "visit_list"),
    ("visits/<int:pk>/", "visit_detail"),
    ("incidents/", "incident_list"),
    ("incidents/<int:pk>/", "incident_detail"),
    ("subsidies/", "subsidy_list"),
    ("subsidies/<int:pk>/", "subsidy_detail"),
    ("payments/", "payment_list"),
)


def moved(name: str):
    return RedirectView.as_view(pattern_name=name, permanent=True, query_string=True)


app_name = "people"

urlpatterns = [
    path("", views.PersonLedgerView.as_view(), name="person_list"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("persons/<int:pk>/reveal/", views.PersonRevealView.as_view(), name="person_reveal"),
    path("persons/<int:pk>/special/", views.PersonSpecialView.as_view(), name="person_special"),
    path("houses/", views.HouseLedgerView.as_view(), name="house_list"),
    path("houses/<int:pk>/", views.HouseDetailView.as_view(), name="house_detail"),
    path("houses/<int:pk>/edit/", house_views.HouseEditView.as_view(), name="house_edit"),
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
    # Care left people for its own app (/care/): the old addresses redirect there, query string kept.
    path("persons/<int:pk>/visit/", moved("care:person_visit"), name="person_visit"),
    *[path(old, moved(f"care:{name}"), name=f"moved_{name}") for old, name in MOVED_TO_CARE],
]
