"""The year-end report of the demo world against the seed's figures (seed_figures.md, copied below as
data: the project never reads ../shared). The report is generated from the records as a DOCX; the
numbers are read back out of the DOCX text and compared with the seed for every figure whose KPI is
registered. Figures of domains not built yet must appear as marked gaps, never as numbers; the test
prints which they are.

One test builds the whole demo world (about two minutes): the figures depend on its full size."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from anmin.analytics.reports.docx_writer import docx_text, write_docx
from anmin.analytics.reports.render import render_report
from anmin.core import registry
from anmin.core.documents.pdf import docx_to_pdf, soffice

# The demo world is built once per run of the suite: on SQLite only (the builders and the KPI queries
# are the same code on PostgreSQL, where the domains' own tests run them; building the world twice
# would add minutes to `make test`).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.sqlite_pass,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo world is built once, on SQLite"),
]

# (seed figure, expected, KPI key(s) — any one registered counts, regex over the DOCX text)
SEED = [
    ("26 乡镇(街道)", 26, "core.townships", r"全市(\d+)个乡镇\(街道\)"),
    ("2019 考核优秀乡镇(街道)", 11, "assessment.excellent_townships", r"(\d+)个乡镇\(街道\)、\d+个市直单位被评为优秀单位"),
    ("2019 考核优秀市直单位", 31, "assessment.excellent_departments", r"(\d+)个市直单位被评为优秀单位"),
    ("2019 优秀个人", 56, "assessment.excellent_individuals", r"市直单位被评为优秀单位，(\d+)名同志被评为优秀个人"),
    ("许昌市优秀单位", 6, "assessment.external_units", r"(\d+)个乡镇\(街道\)被评为许昌市"),
    ("许昌市优秀个人", 14, "assessment.external_individuals", r"许昌市平安建设优秀单位，(\d+)名同志"),
    ("核查线索", 1099, "crackdown.clues_verified", r"核查各类举报线索(\d+)条"),
    ("黑社会性质组织", 2, "crackdown.orgs_mafia", r"黑社会性质犯罪团伙(\d+)个"),
    ("恶势力犯罪集团", 8, "crackdown.orgs_evil_group", r"恶势力犯罪集团(\d+)个"),
    ("恶势力犯罪团伙", 5, "crackdown.orgs_evil_gang", r"恶势力犯罪团伙(\d+)个"),
    ("抓获嫌疑人", 1042, "crackdown.suspects_caught", r"犯罪嫌疑人(\d+)人，冻结"),
    ("处理人员", 181, "crackdown.officials_handled", r"失职失责人员(\d+)人"),
    ("三书一函", 86, "crackdown.notices_issued", r"三书一函”(\d+)份"),
    ("取消候选人资格", 82, "crackdown.candidates_rejected", r"共取消(\d+)名"),
    ("调解组织", 684, "disputes.mediation_orgs", r"调解组织(\d+)个"),
    ("调解员", 3522, "disputes.mediators", r"专兼职调解员(\d+)人"),
    ("排查矛盾纠纷", 3458, "disputes.found", r"排查各类矛盾纠纷(\d+)件"),
    ("民转刑", 0, "disputes.criminal", r"全市(无)“民转刑”案件发生"),
    ("平安乡镇监控", 462, "prevention.cameras_township", r"(\d+)路平安乡镇"),
    ("平安城市监控", 1220, "prevention.cameras_city", r"(\d+)路平安城市"),
    ("平安校园监控", 4255, "prevention.cameras_campus", r"(\d+)路平安校园"),
    ("平安村(社区)", 630, "campaigns.safe_villages", r"考核命名了(\d+)个"),
    ("参保农户", 5600, "campaigns.insured_households", r"参保农户(\d+)户"),
    ("酒驾醉驾处理", 1561, "hazards.drunk_driving_handled", r"醉驾人员(\d+)人"),
    ("刑事处罚", 253, "hazards.drunk_driving_criminal", r"刑事处罚(\d+)人"),
    ("3级以上患者", 774, "care.patients_level_3_up,people.patients_level_3_up", r"全市(\d+)名三级以上"),
    ("连续无肇祸年数", 3, "care.major_incidents,people.major_incidents", r"连续(\d+)年无发生"),
    ("电诈强制措施", 137, "antifraud.suspects_detained", r"强制措施犯罪嫌疑人(\d+)人"),
    ("电诈逮捕", 58, "antifraud.suspects_arrested", r"逮捕(\d+)人"),
    ("电诈移送起诉", 43, "antifraud.suspects_prosecuted", r"移送起诉(\d+)人"),
    ("冻结银行卡", 8316, "antifraud.cards_frozen", r"银行卡(\d+)张"),
    ("劝阻", 150, "antifraud.dissuaded", r"劝阻(\d+)人"),
    ("专报刊发乡镇", 9, "campaigns.practice_reports", r"对(\d+)个乡镇\(街道\)探索"),
    ("民警走访排查化解纠纷", 302, "prevention.police_disputes_resolved", r"排查化解矛盾纠纷(\d+)起"),
    ("民警抓获嫌疑人", 1938, "prevention.police_suspects_caught", r"违法犯罪嫌疑人(\d+)人"),
]


# Figures the report does not print as one number each, checked on ``anmin kpis`` (the same records):
# (seed's words, KPI key, the seed's figure — an exact number, or (low, high) where it says 余/多/约).
KPIS_2020 = [
    ("新型社区摄像头 2000余", "prevention.cameras_new_communities", (2000, 2100)),
    ("新型社区监控平台 68", "prevention.platforms_new_communities", 68),
    ("老旧社区摄像头 4100余", "prevention.cameras_old_communities", (4100, 4200)),
    ("老旧社区监控平台 76", "prevention.platforms_old_communities", 76),
    ("公共安全视频监控 约15000路", "prevention.cameras_total", (14500, 15500)),
    ("雪亮工程在建布点 3100余", "prevention.cameras_planned", (3100, 3200)),
    ("乡镇巡逻队 全部达标", "prevention.township_patrol_compliance", 100),
    ("村巡逻队 全部达标", "prevention.village_patrol_compliance", 100),
    ("民警走访群众 70万余", "prevention.police_visits", (700_000, 710_000)),
    ("民警服务群众 2.7万余", "prevention.police_people_served", (27_000, 28_000)),
    ("平安商场", "campaigns.safe_malls", 2),
    ("平安校园", "campaigns.safe_campuses", 3),
    ("宣传图片 100幅", "campaigns.publicity_pictures", 100),
    ("图片主题 7个", "campaigns.publicity_themes", 7),
    ("展演节目 5个", "campaigns.publicity_programmes", 5),
    ("宣传彩页 1.5万余", "campaigns.publicity_leaflets", (15_000, 16_000)),
    ("宣传手册 600余", "campaigns.publicity_booklets", (600, 700)),
    ("宣传品 3000余", "campaigns.publicity_gifts", (3000, 3100)),
    ("参保农户 5600户", "campaigns.insured_households", 5600),
    ("参保乡镇 26个", "campaigns.insured_townships", 26),
    ("冻结查封资产 约2.2亿元", "crackdown.assets_frozen", (215_000_000, 225_000_000)),
    ("破获电诈案件 600余起", "antifraud.cases_solved", (600, 700)),
    ("涉案资金 8968万元", "antifraud.amount_involved", 89_680_000),
    ("挽回损失 213万元", "antifraud.amount_recovered", 2_130_000),
]


def _kpis(year: int) -> dict:
    out = io.StringIO()
    call_command("kpis", "--year", str(year), "--format", "json", stdout=out)
    return {k["key"]: k["value"] for k in json.loads(out.getvalue())["kpis"]}


def _registered(keys: str) -> bool:
    return any(k in registry.kpis for k in keys.split(","))


def _number(text: str, pattern: str):
    m = re.search(pattern, text, re.MULTILINE)
    if m is None:
        return None
    value = next(g for g in m.groups() if g is not None)
    return 0 if value == "无" else int(value)


def _check_pdf(docx: bytes, title: str) -> None:
    """The PDF LibreOffice makes of the DOCX is the official layout: A4 pages, the title on the first,
    "— n —" page numbers, the CJK fonts embedded (a reader without them still sees the characters)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(docx_to_pdf(docx)))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, "A4 portrait (210 × 297 mm)"
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages[:3]]
    assert re.sub(r"\s+", "", title)[:12] in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"—{number}—" in text, f"page {number} carries its number"
    embedded = set()
    for page in reader.pages[:2]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(str(font["/BaseFont"]))
    assert any(re.search(r"Ming|Kai|WenQuanYi|CJK|Song|Hei", f) for f in embedded), embedded


def test_the_2020_report_of_the_demo_world_carries_the_seed_figures(capsys):
    call_command("demo", "--no-serve", verbosity=0)
    doc = render_report("annual", year=2020, use_cache=False)
    docx = write_docx(doc)
    text = docx_text(docx)
    if soffice():  # `make test` installs LibreOffice (make system-deps); a bare checkout may lack it
        _check_pdf(docx, doc.title)

    checked, missing, wrong = [], [], []
    for label, expected, keys, pattern in SEED:
        if not _registered(keys):
            missing.append(f"{label}（{keys.split(',')[0]}）")
            assert f"暂无数据：{keys.split(',')[0]}" in text, f"{label}: no KPI, so the report must mark the gap"
            continue
        got = _number(text, pattern)
        checked.append(label)
        if got != expected:
            wrong.append(f"{label}: report says {got}, seed {expected}")
    assert not wrong, "\n".join(wrong)
    # The rates are printed as computed and the seed says both are above 85%.
    rates = [float(x) for x in re.findall(r"调(?:解|成)率([\d.]+)%", text)]
    assert len(rates) == 2 and min(rates) > 85
    assert len(checked) >= 12  # the figures of the domains built today
    # No number stands in for a figure whose KPI does not exist.
    assert all(not _registered(k) for k in doc.missing)
    with capsys.disabled():
        print(f"\n  seed figures checked against the DOCX: {len(checked)}; still missing ({len(missing)}): "
              + "、".join(missing))

    # The figures the report words differently, from `anmin kpis` over the same records.
    kpis = _kpis(2020)
    off = []
    for label, key, want in KPIS_2020:
        got = kpis.get(key)
        ok = got is not None and (want[0] <= got <= want[1] if isinstance(want, tuple) else got == want)
        if not ok:
            off.append(f"{label}: {key} = {got}")
    assert not off, "\n".join(off)
    assert sum(kpis["campaigns.insured_by_township"].values()) == 5600
    assert len(kpis["campaigns.insured_by_township"]) == 26
    # Accidents caused by drunk driving fell 37% on the year before.
    before = _kpis(2019)["hazards.drunk_driving_accidents"]
    assert round((kpis["hazards.drunk_driving_accidents"] - before) / before * 100) == -37

    # A demo dispute's 调解组织 is the committee it was assigned to (its 承办), and its sessions'
    # mediators are that committee's (the page showed a village's committee beside the township's).
    from anmin.disputes.models import Dispute

    assigned = Dispute.objects.filter(mediation_org__isnull=False, case__handling_org__kind="mediation_committee")
    assert assigned.exists()
    assert not assigned.exclude(mediation_org__org_unit=F("case__handling_org")).exists()
    assert not assigned.filter(sessions__mediators__isnull=False).exclude(
        sessions__mediators__org=F("mediation_org")).exists()

    # The 2019 assessment of the same world (through its command: analytics does not import it).
    out = io.StringIO()
    call_command("assessment", "compute", "--year", "2019", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["excellent_units"] == {"township": 11, "department": 31}
    assert data["excellent_individuals"] == 56
    ranked = next(s for s in data["schemes"] if s["unit_type"] == "township")["results"]
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
    assert all(r["items"] for r in ranked), "every unit's score is explained item by item"
