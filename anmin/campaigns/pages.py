"""Pages of the campaign records that are not registries (the kit's ``record_ledger`` and
``RecordDetailView``): publicity campaigns with their materials, and counselling sessions (rows
link to the counsellor). Both import their Excel ledger on the page (the kit's ``record_import``;
campaigns placed by township and village, without their materials)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core import ledgers
from anmin.workflow.kit.record_create import record_create
from anmin.workflow.kit.record_ledgers import record_import
from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from . import actions
from .models import CampaignKind, CounsellingSession, Counsellor, PublicityCampaign

CampaignImport = record_import(
    PublicityCampaign, key="campaigns.publicity", title="宣传活动台账", place=True,
    natural_key=("title", "held_on", "region_id"),
    columns=(
        ledgers.Column("活动名称", "title", ledgers.text(max_length=128), required=True, width=30),
        ledgers.Column("活动类型", "kind", ledgers.choice(CampaignKind.choices), required=True,
                       export=lambda o: o.get_kind_display()),
        ledgers.Column("活动日期", "held_on", ledgers.date(), required=True),
        ledgers.Column("活动地点", "place", ledgers.text(max_length=128)),
        ledgers.Column("组织单位", "organiser", ledgers.text(max_length=128)),
        ledgers.Column("活动情况", "summary", ledgers.text(max_length=1000), width=30),
    ),
    save=actions.import_campaigns, check=actions.check_campaign)

CampaignLedger = record_ledger(
    PublicityCampaign, title=_("宣传活动台账"), fields=("title", "kind", "held_on", "place", "organiser"),
    filter_fields=("kind",), search="title", date_field="held_on", ledger=CampaignImport,
    create_url_name="campaigns:campaign_new")

CampaignCreate = record_create(
    CampaignImport, title=_("登记宣传活动"), ledger_url_name="campaigns:campaign_list",
    fields=("title", "kind", "held_on", "place", "organiser", "summary"), done=_("已登记宣传活动"))


class CampaignDetail(RecordDetailView):
    model = PublicityCampaign
    fields = ("title", "kind", "held_on", "place", "organiser", "summary")
    children = ("materials", ("kind", "title", "quantity"))
    ledger_url_name = "campaigns:campaign_list"


SessionImport = record_import(
    CounsellingSession, key="campaigns.counselling_session", title="心理服务记录台账",
    refs={"counsellor": ("心理服务人员姓名", Counsellor, ("心理服务人员", "服务人员", "服务人员姓名", "咨询师姓名"))},
    natural_key=("counsellor", "held_on", "topic"),
    columns=(
        ledgers.Column("日期", "held_on", ledgers.date(), required=True, aliases=("服务时间", "服务日期", "时间")),
        ledgers.Column("内容", "topic", ledgers.text(max_length=200), required=True, width=30,
                       aliases=("服务内容", "主要内容", "活动内容", "服务事项")),
        ledgers.Column("服务人次", "people", ledgers.integer(min_value=1, max_value=100_000), default=1,
                       aliases=("服务人数", "受益人数", "参与人数", "服务对象人数")),
    ),
    save=actions.import_sessions)

SessionLedger = record_ledger(
    CounsellingSession, title=_("心理服务记录台账"), fields=("counsellor", "held_on", "topic", "people"),
    search="topic", date_field="held_on", select_related=("counsellor", "region"), ledger=SessionImport,
    create_url_name="campaigns:session_new")

SessionCreate = record_create(
    SessionImport, title=_("登记心理服务"), ledger_url_name="campaigns:session_list",
    fields=("counsellor", "held_on", "topic", "people"), done=_("已登记心理服务"))
