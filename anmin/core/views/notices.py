"""站内消息: the list (unread first), opening one (marks it read and goes to what it is about), and
"all read"."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .. import notices
from ..models import Notice
from ..tables import Column, Table, when
from .base import DetailPage, LedgerView


class NoticeTable(Table):
    columns = (
        Column("created_at", _("时间"), value=lambda n: when(n.created_at), width=17),
        Column("kind", _("类型"), width=10),
        Column("title", _("消息"), link=True, width=60),
        Column("read_at", _("状态"), value=lambda n: _("已读") if n.read_at else _("未读"), width=8),
    )


class NoticeListView(LedgerView):
    model = Notice
    template_name = "anmin/notices.html"
    table_class = NoticeTable
    title = _("消息")
    export_name = "站内消息"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.GET.get("unread"):
            qs = qs.unread()
        return qs.order_by("-created_at", "-pk")

    def post(self, request, *args, **kwargs):
        notices.read_all_notices(actor=request.user)
        return HttpResponseRedirect(request.path)


class NoticeDetailView(DetailPage):
    """A message: opening it marks it read; it links to what it is about (a case, a supervision)."""

    model = Notice
    template_name = "anmin/notice_detail.html"

    def get_object(self, queryset=None):
        return notices.read_notice(actor=self.request.user, notice=super().get_object(queryset))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        url = self.object.url
        ctx["target_url"] = url if url_has_allowed_host_and_scheme(url, allowed_hosts={self.request.get_host()}) else ""
        return ctx
