"""The 扫黑办's pages for sealed online tips: 解锁 (the passphrase opens the office's keys for
``vault.UNLOCK_MINUTES``), 锁定, 举报加密密钥 (generate, rotate, change the passphrase) and the download
of a tip's file. Every write and every read goes through ``actions.tips`` (audited there)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from anmin.core.errors import ActionError, run_action

from . import vault
from .actions import tips
from .forms import TipKeyForm, TipUnlockForm
from .models import TipFile, TipKey


def _office(request) -> None:
    if not request.user.has_perm(tips.OFFICE_PERM):
        raise PermissionDenied


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url.startswith("/crackdown/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if ok else reverse("crackdown:clue_list")


class TipUnlockView(View):
    template = "crackdown/tip_unlock.html"

    def _page(self, request, form, status=200):
        return render(request, self.template, {"form": form, "next": _next(request),
                                               "unlocked": vault.keys(request) is not None,
                                               "minutes": vault.UNLOCK_MINUTES,
                                               "has_key": TipKey.objects.exists()}, status=status)

    def get(self, request):
        _office(request)
        return self._page(request, TipUnlockForm())

    def post(self, request):
        _office(request)
        form = TipUnlockForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, 400)
        keys, status = run_action(form, tips.unlock_tip_keys, actor=request.user,
                                  passphrase=form.cleaned_data["passphrase"])
        if keys is None:
            return self._page(request, form, status)
        response = redirect(_next(request))
        vault.keep(request, response, keys)
        messages.success(request, _("已解锁，%(minutes)s分钟内可查看加密举报") % {"minutes": vault.UNLOCK_MINUTES})
        return response


class TipLockView(View):
    def post(self, request):
        response = redirect(_next(request))
        vault.forget(request, response)
        messages.success(request, _("已锁定举报密钥"))
        return response


class TipKeyView(View):
    template = "crackdown/tip_key.html"

    def _page(self, request, form, status=200):
        keys = TipKey.objects.order_by("-pk")
        return render(request, self.template, {"form": form, "keys": keys, "has_key": keys.exists()}, status=status)

    def get(self, request):
        _office(request)
        return self._page(request, TipKeyForm())

    def post(self, request):
        _office(request)
        form = TipKeyForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, 400)
        d = form.cleaned_data
        if TipKey.objects.exists() and not d["new_key"]:
            done, status = run_action(form, tips.change_tip_passphrase, actor=request.user,
                                      old_passphrase=d["old_passphrase"], passphrase=d["passphrase"])
            message = _("已修改密钥口令")
        else:
            done, status = run_action(form, tips.set_up_tip_key, actor=request.user, passphrase=d["passphrase"],
                                      old_passphrase=d["old_passphrase"])
            message = _("已生成举报加密密钥")
        if done is None:
            return self._page(request, form, status)
        response = redirect("crackdown:tip_key")
        vault.forget(request, response)
        messages.success(request, message)
        return response


class TipFileView(View):
    """A tip's file, opened with the unlocked keys (audited by the action); locked: to 解锁 first."""

    def get(self, request, pk: int):
        _office(request)
        keys = vault.keys(request)
        if keys is None:
            return redirect(f"{reverse('crackdown:tip_unlock')}?next={request.path}")
        try:
            name, mime, data = tips.read_tip_file(actor=request.user, tip_file=pk, keys=keys)
        except (ActionError, TipFile.DoesNotExist):
            raise Http404 from None
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = _disposition(name)
        response["Cache-Control"] = "no-store"
        return response


def _disposition(name: str) -> str:
    return f"attachment; filename=\"tip-file\"; filename*=UTF-8''{quote(name)}"
