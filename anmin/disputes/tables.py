"""Columns of the disputes ledgers (also their Excel export headers)."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_name
from anmin.core.markup import esc
from anmin.core.tables import Column, Table
from anmin.workflow.kit.tables import CaseColumns


def colour_badge(d) -> str:
    """The risk colour on screen: a coloured badge with its word (the Excel cell has the word); built
    with ``esc`` (once a row: ``format_html`` cost 75 Python calls a row, core.markup)."""
    colour, word = esc(d.colour), esc(d.get_colour_display())
    return mark_safe(f'<span class="colour colour-{colour}" data-colour="{colour}">{word}</span>')


def _category(d) -> str:
    return f"{code_name('dispute_category', d.category[:2])}/{code_name('dispute_category', d.category)}"


class DisputeTable(Table):
    columns = (
        *CaseColumns.head(_("纠纷名称"), title_width=30),
        Column("category", _("纠纷类别"), value=_category, width=22),
        Column("scale", _("事件规模"), value=lambda d: code_name("event_scale", d.scale), width=14),
        CaseColumns.place(),
        Column("found_on", _("登记日期"), width=12),
        Column("source", _("来源")),
        Column("colour", _("风险等级"), width=8, html=colour_badge),
        *CaseColumns.tail(),
        Column("outcome", _("调解结果"), value=lambda d: d.get_outcome_display() if d.outcome else "", width=10),
        Column("concluded_on", _("调结日期"), width=12),
    )


class MediationOrgTable(Table):
    columns = (
        Column("name", _("名称"), link=True, width=32),
        Column("kind", _("类型"), width=24),
        Column("brand_name", _("品牌调解室"), width=18),
        Column("region.full_name", _("所在区划"), width=24),
        Column("n_mediators", _("调解员人数"), width=10),
    )


class MediatorTable(Table):
    columns = (
        Column("name", _("姓名"), link=True),
        Column("sex", _("性别"), width=6),
        Column("employment", _("专兼职"), width=8),
        Column("org.name", _("所属调解组织"), width=32),
        Column("region.full_name", _("所在区划"), width=24),
        Column("specialities", _("擅长领域")),
    )
