from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.DisputeLedgerView.as_view(), name="dispute_list"),
    path("report/", views.DisputeReportView.as_view(), name="dispute_report"),
    path("<int:pk>/", views.DisputeDetailView.as_view(), name="dispute_detail"),
    path("<int:pk>/session/", views.SessionView.as_view(), name="dispute_session"),
    path("<int:pk>/outcome/", views.OutcomeView.as_view(), name="dispute_outcome"),
    path("<int:pk>/followup/", views.FollowupView.as_view(), name="dispute_followup"),
    path("<int:pk>/criminal/", views.CriminalLinkView.as_view(), name="dispute_criminal"),
    path("<int:pk>/risk/", views.RiskView.as_view(), name="dispute_risk"),
    path("<int:pk>/attachments/", views.DisputeAttachmentView.as_view(), name="dispute_attachment"),
    path("orgs/", views.MediationOrgLedgerView.as_view(), name="mediationorg_list"),
    path("orgs/<int:pk>/", views.MediationOrgDetailView.as_view(), name="mediationorg_detail"),
    path("mediators/", views.MediatorLedgerView.as_view(), name="mediator_list"),
    path("mediators/<int:pk>/", views.MediatorDetailView.as_view(), name="mediator_detail"),
]
