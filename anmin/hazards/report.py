"""Paragraphs of the hazards domain in the year-end report's section on special campaigns: drowning
prevention and railway protection (the drunk-driving paragraph is the analytics outline's own)."""

from anmin.core.registry import ReportParagraph, report_paragraphs

PARAGRAPHS = (
    ReportParagraph(
        "special.drowning", "special",
        "切实强化未成年人溺亡专项治理，排查登记危险水域{{hazards.waters}}处，逐一落实警示标志、救生器材和责任人，"
        "汛期常态化开展巡查，全年发生未成年人溺水事故{{hazards.drownings}}起。", 6),
    ReportParagraph(
        "special.railway", "special",
        "切实做好铁路护路联防工作，加大对铁路沿线危房危树等安全隐患的排查，全年排查发现隐患{{hazards.railway_reported}}处，"
        "整改验收销号{{hazards.railway_closed}}处，按期整改率{{hazards.railway_on_time_rate|pct}}，"
        "确保高铁在境内安全畅通运行。", 40),
)


def register() -> None:
    for p in PARAGRAPHS:
        report_paragraphs.register(p.key, p)
