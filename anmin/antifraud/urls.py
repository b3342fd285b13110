from django.urls import path

from . import blacklist_pages, case_views, views

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
    path("blacklist/", blacklist_pages.BlacklistLedgerView.as_view(), name="blacklist_list"),
    path("blacklist/new/", blacklist_pages.BlacklistAddView.as_view(), name="blacklist_add"),
    path("blacklist/<int:pk>/", blacklist_pages.BlacklistDetailView.as_view(), name="blacklist_detail"),
    path("cases/", views.FraudCaseLedgerView.as_view(), name="case_list"),
    path("cases/new/", case_views.RegisterFraudCaseView.as_view(), name="case_register"),
    path("cases/<int:pk>/", views.FraudCaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", case_views.UpdateFraudCaseView.as_view(), name="case_edit"),
    path("cases/<int:pk>/suspects/add/", case_views.AddSuspectView.as_view(), name="suspect_add"),
    path("cases/suspects/<int:pk>/status/", case_views.SuspectStatusView.as_view(), name="suspect_status"),
    path("cases/<int:pk>/cards/add/", case_views.AddCardView.as_view(), name="card_add"),
    path("cases/cards/<int:pk>/freeze/", case_views.FreezeCardView.as_view(), name="card_freeze"),
]
