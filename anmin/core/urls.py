from django.urls import path

from .views import account, accounts, attachments, audit, documents, health, jsi18n, notices, offline, pages

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("login/", pages.LoginView.as_view(), name="login"),
    path("login/otp/", account.OtpVerifyPage.as_view(), name="otp_verify"),
    path("logout/", offline.LogoutView.as_view(), name="logout"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("jsi18n/<str:lang>.js", jsi18n.js_catalog, name="jsi18n"),
    path("offline/", offline.OfflineWorkbenchView.as_view(), name="offline"),
    path("offline/data.json", offline.offline_data, name="offline_data"),
    path("", pages.HomeView.as_view(), name="home"),
    path("me/", pages.ProfileView.as_view(), name="profile"),
    path("me/password/", account.PasswordChangePage.as_view(), name="password_change"),
    path("me/otp/", account.OtpSetupPage.as_view(), name="otp_setup"),
    path("me/tokens/<int:pk>/revoke/", account.TokenRevokeView.as_view(), name="token_revoke"),
    path("regions/", pages.RegionTreeView.as_view(), name="region_list"),
    path("regions/<str:pk>/", pages.RegionDetailView.as_view(), name="region_detail"),
    path("orgs/", pages.OrgUnitLedgerView.as_view(), name="orgunit_list"),
    path("orgs/<int:pk>/", pages.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", accounts.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", accounts.AccountDetailView.as_view(), name="account_detail"),
    path("audit/", audit.AuditLedgerView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", audit.AuditDetailView.as_view(), name="audit_detail"),
    path("notices/", notices.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice_detail"),
    path("documents/templates/", documents.TemplateListView.as_view(), name="document_templates"),
    path("documents/templates/<slug:key>/", documents.TemplateDownloadView.as_view(), name="document_template"),
    path("documents/<slug:key>/<int:pk>/", documents.DocumentView.as_view(), name="document"),
    path("attachments/<int:pk>/", attachments.AttachmentDownloadView.as_view(), name="attachment"),
]
