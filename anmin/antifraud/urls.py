from django.urls import path

from . import views

app_name = "antifraud"

urlpatterns = [
    path("", views.LeadLedgerView.as_view(), name="lead_list"),
    path("board/", views.LeadBoardView.as_view(), name="board"),
    path("report/", views.LeadReportView.as_view(), name="lead_report"),
    path("<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("<int:pk>/contact/", views.ContactView.as_view(), name="lead_contact"),
    path("<int:pk>/conclude/", views.ConcludeView.as_view(), name="lead_conclude"),
    path("<int:pk>/revisit/", views.RevisitView.as_view(), name="lead_revisit"),
    path("<int:pk>/grade/", views.GradeView.as_view(), name="lead_grade"),
    path("cases/", views.FraudCaseLedgerView.as_view(), name="case_list"),
    path("cases/<int:pk>/", views.FraudCaseDetailView.as_view(), name="case_detail"),
]
