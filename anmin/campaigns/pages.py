"""Pages of the campaign records that are not registries (the kit's ``record_ledger`` and
``RecordDetailView``): publicity campaigns with their materials, and counselling sessions (rows
link to the counsellor)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from .models import CounsellingSession, PublicityCampaign

CampaignLedger = record_ledger(
    PublicityCampaign, title=_("宣传活动台账"), fields=("title", "kind", "held_on", "place", "organiser"),
    filter_fields=("kind",), search="title", date_field="held_on")


class CampaignDetail(RecordDetailView):
    model = PublicityCampaign
    fields = ("title", "kind", "held_on", "place", "organiser", "summary")
    children = ("materials", ("kind", "title", "quantity"))
    ledger_url_name = "campaigns:campaign_list"


SessionLedger = record_ledger(
    CounsellingSession, title=_("心理服务记录台账"), fields=("counsellor", "held_on", "topic", "people"),
    search="topic", date_field="held_on", select_related=("counsellor", "region"))
