"""The campus paragraph of the year-end report's section on special campaigns (政法专项治理)."""

from anmin.core.registry import ReportParagraph, report_paragraphs

PARAGRAPHS = (
    ReportParagraph(
        "special.campus", "special",
        "扎实开展校园及周边安全秩序治理，认真落实校园安全五个100%安全防护措施，全市{{campus.schools}}所学校(幼儿园)"
        "五个100%达标率{{campus.five_items_rate|pct}}；严格规范落实高峰期“平安护学岗”工作，设立护学岗{{campus.guard_posts}}个，"
        "依法处置校园周边案(事)件{{campus.incidents}}起，进一步净化校园周边环境。", 4),
)


def register() -> None:
    for p in PARAGRAPHS:
        report_paragraphs.register(p.key, p)
