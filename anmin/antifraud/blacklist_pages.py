"""The 涉诈黑名单 (numbers, accounts and links confirmed as fraudulent) as a ledger the police keep: the
list with search and filters, an Excel import of the lists offices receive (one column of numbers is
enough: the kind is read from the value when there is no 类型 column), one value listed by hand, and a
value taken off the list with its reason. The public portal's 反诈查询 answers from the values listed.

The values are not personal data (they are the fraudsters' numbers), but a whole mobile number never
goes in a URL: the search box takes part of one (the last digits); a whole one goes in 列入黑名单,
which says whether it is listed already."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core import clock, ledgers
from anmin.core.errors import run_action
from anmin.core.formkit import KitForm
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.views.base import InvalidFormIs400, ScopedMixin
from anmin.workflow.kit.record_pages import RecordDetailView, record_ledger

from . import actions
from .models import BlacklistEntry, EntryKind
from .normalize import normalize

KIND_WORDS = {
    **{label: code for code, label in EntryKind.choices},
    **dict.fromkeys(("电话", "手机", "手机号", "手机号码", "号码", "涉诈号码", "固定电话", "座机", "电话卡"),
                    EntryKind.PHONE),
    **dict.fromkeys(("银行卡", "银行卡号", "账户", "账号", "银行账号", "对公账户", "收款账户", "涉诈账户"),
                    EntryKind.ACCOUNT),
    **dict.fromkeys(("链接", "网站", "域名", "网页", "涉诈网址", "APP下载链接", "app下载链接"), EntryKind.URL),
}


class BlacklistLedger(ledgers.Ledger):
    key = "antifraud.blacklist"
    title = "涉诈黑名单"
    model = BlacklistEntry
    columns = (
        ledgers.Column("类型", "kind", ledgers.choice(KIND_WORDS), aliases=("号码类型", "类别", "种类"),
                       export=lambda e: e.get_kind_display(), help="电话号码 / 银行账户 / 网址；不填按内容判断"),
        ledgers.Column("号码/账户/网址", "value", ledgers.text(max_length=300), required=True, width=30,
                       aliases=("涉诈号码", "电话号码", "号码", "手机号码", "银行卡号", "银行账号", "账号", "账户",
                                "卡号", "网址", "链接", "域名", "涉诈网址", "涉诈账户", "涉诈电话")),
        ledgers.Column("来源", "source", ledgers.text(max_length=64),
                       aliases=("线索来源", "下发单位", "来源单位", "推送单位"), help="不填为“Excel 导入”"),
        ledgers.Column("列入日期", "listed_on", ledgers.date(not_before=dt.date(2000, 1, 1)),
                       aliases=("录入日期", "下发日期", "推送日期", "日期", "登记日期")),
    )
    unique = (("value", "kind"),)

    @cached_property
    def region_id(self) -> str | None:
        """The importing unit's area: the list is the unit's, not a place's."""
        org = self.user.org_unit_with_region if self.user is not None else None
        return org.region_id if org is not None else None

    def check_row(self, values, row) -> None:
        raw = values.get("value")
        if not raw:
            return
        kind = values.get("kind") or actions.guess_kind(raw)
        if not kind:
            raise ValidationError({"value": f"“{raw}”不像电话号码、银行账户或网址，请在「类型」中写明"})
        try:
            values["value"] = normalize(kind, raw)
        except ValueError as exc:
            raise ValidationError({"value": str(exc)}) from None
        values["kind"] = kind
        if self.region_id is None:
            raise ValidationError({"value": "您的账号没有所属单位，不能导入黑名单"})
        if values.get("listed_on") and values["listed_on"] > clock.today():
            raise ValidationError({"listed_on": "「列入日期」不能晚于今天"})

    def find_existing(self, rows):
        keys = {(r.values["kind"], r.values["value"]) for r in rows if r.ok}
        known = set(BlacklistEntry.objects.filter(value__in={k[1] for k in keys}, is_active=True)
                    .values_list("kind", "value")) if keys else set()
        for r in rows:
            if r.ok and (r.values["kind"], r.values["value"]) in known:
                r.existing = True
        return ()

    def save(self, rows) -> int:
        today = clock.today()
        return actions.import_blacklist([
            BlacklistEntry(kind=r.values["kind"], value=r.values["value"], region_id=self.region_id,
                           source=r.values.get("source") or "Excel 导入", listed_on=r.values.get("listed_on") or today)
            for r in rows], actor=self.user, note=f"Excel 导入：{self.title}")


_Ledger = record_ledger(
    BlacklistEntry, title=_("涉诈黑名单"), fields=("value", "kind", "source", "listed_on", "is_active"),
    filter_fields=("kind", "is_active"), search="value", date_field="listed_on", ledger=BlacklistLedger)


class BlacklistLedgerView(_Ledger):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm(actions.ADD_PERM):
            ctx["create_url"], ctx["create_label"] = reverse("antifraud:blacklist_add"), _("列入黑名单")
        return ctx


class EntryForm(KitForm):
    kind = forms.ChoiceField(label=_("类型"), choices=EntryKind.choices)
    value = forms.CharField(label=_("号码/账户/网址"), max_length=300)
    source = forms.CharField(label=_("来源"), max_length=64, help_text=_("如：市反诈中心推送、本所侦办案件"))
    listed_on = forms.DateField(label=_("列入日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("不填为今天"))


class BlacklistAddView(InvalidFormIs400, ScopedMixin, IdempotentFormMixin, FormView):
    model = BlacklistEntry
    required_perm = scoped_create = actions.ADD_PERM
    template_name = "anmin/form.html"
    form_class = EntryForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("列入涉诈黑名单"), submit_label=_("列入黑名单"),
                                        cancel_url=reverse("antifraud:blacklist_list"), **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        user = self.request.user
        org = user.org_unit_with_region
        try:
            listed_before = BlacklistEntry.objects.filter(kind=d["kind"], value=normalize(d["kind"], d["value"]),
                                                          is_active=True).exists()
        except ValueError:
            listed_before = False  # not a value at all: the action says why, at the field
        entry, status = run_action(form, actions.add_blacklist_entry, actor=user, kind=d["kind"], value=d["value"],
                                   source=d["source"], region=org.region_id if org else None,
                                   listed_on=d["listed_on"])
        if entry is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        word = _("已在黑名单中：%(v)s") if listed_before else _("已列入黑名单：%(v)s")
        messages.success(self.request, word % {"v": entry.value})
        return HttpResponseRedirect(entry.get_absolute_url())


class WithdrawForm(KitForm):
    reason = forms.CharField(label=_("移出原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如：号码已销户重新分配、经核实账户与诈骗无关"))


class BlacklistDetailView(RecordDetailView):
    model = BlacklistEntry
    template_name = "antifraud/blacklist_detail.html"
    fields = ("value", "kind", "source", "listed_on", "region", "fraud_case", "is_active", "withdrawn_at",
              "withdraw_reason")
    ledger_url_name = "antifraud:blacklist_list"

    def post(self, request, *args, **kwargs):
        self.object = entry = self.get_object()
        form = WithdrawForm(request.POST)
        status = 400
        if form.is_valid():
            done, status = run_action(form, actions.withdraw_blacklist_entry, actor=request.user, entry=entry,
                                      reason=form.cleaned_data["reason"])
            if done is not None:
                messages.success(request, _("已移出黑名单：%(v)s") % {"v": entry.value})
                return redirect(entry.get_absolute_url())
        return self.render_to_response(self.get_context_data(withdraw_form=form), status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        may = BlacklistEntry.objects.visible_to(user, "change").filter(pk=self.object.pk).exists()
        if self.object.is_active and may:
            ctx.setdefault("withdraw_form", WithdrawForm())
        else:
            ctx.pop("withdraw_form", None)
        return ctx
