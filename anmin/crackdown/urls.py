from django.urls import path

from . import register_forms_views as writes
from . import register_views as registers
from . import tip_views, views

app_name = "crackdown"

urlpatterns = [
    path("", views.ClueLedgerView.as_view(), name="clue_list"),
    path("report/", views.ClueReportView.as_view(), name="clue_report"),
    path("<int:pk>/", views.ClueDetailView.as_view(), name="clue_detail"),
    path("<int:pk>/result/", views.ResultView.as_view(), name="clue_result"),
    path("<int:pk>/feedback/", views.FeedbackView.as_view(), name="clue_feedback"),
    path("<int:pk>/ask/", views.AskView.as_view(), name="clue_ask"),
    path("tips/unlock/", tip_views.TipUnlockView.as_view(), name="tip_unlock"),
    path("tips/lock/", tip_views.TipLockView.as_view(), name="tip_lock"),
    path("tips/key/", tip_views.TipKeyView.as_view(), name="tip_key"),
    path("tips/files/<int:pk>/", tip_views.TipFileView.as_view(), name="tip_file"),
    path("notices/", views.NoticeLedgerView.as_view(), name="notice_list"),
    path("notices/report/", views.NoticeIssueView.as_view(), name="notice_issue"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/reply/", views.ReplyView.as_view(), name="notice_reply"),
    path("orgs/", views.CrimeOrgLedgerView.as_view(), name="org_list"),
    path("orgs/new/", writes.OrgCreateView.as_view(), name="org_new"),
    path("orgs/<int:pk>/", views.CrimeOrgDetailView.as_view(), name="org_detail"),
    path("orgs/<int:pk>/stage/", writes.StageView.as_view(), name="org_stage"),
    path("orgs/<int:pk>/suspects/new/", writes.SuspectAddView.as_view(), name="org_suspect_add"),
    path("orgs/<int:pk>/assets/new/", writes.AssetAddView.as_view(), name="org_asset_add"),
    path("rectifications/", views.RectificationLedgerView.as_view(), name="rectification_list"),
    path("rectifications/report/", views.RectificationNewView.as_view(), name="rectification_new"),
    path("rectifications/<int:pk>/", views.RectificationDetailView.as_view(), name="rectification_detail"),
    path("rectifications/<int:pk>/measures/", views.MeasuresView.as_view(), name="rectification_report"),
    path("suspects/", registers.SuspectLedgerView.as_view(), name="suspect_list"),
    path("suspects/<int:pk>/", registers.SuspectDetailView.as_view(), name="suspect_detail"),
    path("suspects/<int:pk>/edit/", registers.SuspectEdit.as_view(), name="suspect_edit"),
    path("assets/", registers.AssetLedgerView.as_view(), name="asset_list"),
    path("assets/<int:pk>/", registers.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<int:pk>/edit/", registers.AssetEdit.as_view(), name="asset_edit"),
    path("officials/", registers.OfficialLedgerView.as_view(), name="official_list"),
    path("officials/new/", writes.OfficialCreateView.as_view(), name="official_new"),
    path("officials/<int:pk>/", registers.OfficialDetailView.as_view(), name="official_detail"),
    path("candidates/", registers.CandidateLedgerView.as_view(), name="candidate_list"),
    path("candidates/new/", writes.CandidateCreateView.as_view(), name="candidate_new"),
    path("candidates/<int:pk>/", registers.CandidateDetailView.as_view(), name="candidate_detail"),
]
