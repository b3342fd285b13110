from django.urls import path, re_path

from . import open311, views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tip/", views.TipView.as_view(), name="tip"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("receipt/answer/", views.AnswerView.as_view(), name="answer"),
    path("fraud-check/", views.FraudCheckView.as_view(), name="fraud"),
    re_path(r"^open311/v2/services\.(?P<fmt>json|xml)$", open311.services, name="open311_services"),
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", open311.requests, name="open311_requests"),
    re_path(r"^open311/v2/requests/(?P<pk>[0-9]{1,12})\.(?P<fmt>json|xml)$", open311.request_detail,
            name="open311_request"),
    re_path(r"^open311/v2/tokens/(?P<token>[A-Za-z0-9_-]{1,100})\.(?P<fmt>json|xml)$", open311.token_detail,
            name="open311_token"),
]
