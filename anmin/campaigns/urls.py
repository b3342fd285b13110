from django.urls import path

from . import pages
from .registries import ALL

app_name = "campaigns"

urlpatterns = [
    *(url for registry in ALL for url in registry.urls()),
    path("publicity/", pages.CampaignLedger.as_view(), name="campaign_list"),
    path("publicity/new/", pages.CampaignCreate.as_view(), name="campaign_new"),
    path("publicity/<int:pk>/", pages.CampaignDetail.as_view(), name="campaign_detail"),
    path("sessions/", pages.SessionLedger.as_view(), name="session_list"),
    path("sessions/new/", pages.SessionCreate.as_view(), name="session_new"),
]
