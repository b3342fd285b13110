from django.urls import path

from . import open311, views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tip/", views.TipView.as_view(), name="tip"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("receipt/answer/", views.AnswerView.as_view(), name="answer"),
    path("fraud-check/", views.FraudCheckView.as_view(), name="fraud"),
    path("open311/v2/services.json", open311.services, name="open311_services"),
    path("open311/v2/requests.json", open311.requests, name="open311_requests"),
    path("open311/v2/requests/<int:pk>.json", open311.request_detail, name="open311_request"),
]
