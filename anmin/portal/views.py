"""The portal's pages: no login, no staff session read (``request.user`` is never looked at), phone
width, no inline script. What the public submits goes through ``actions``."""

from __future__ import annotations

import secrets

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from anmin.core.actors import SYSTEM
from anmin.core.errors import run_action
from anmin.core.registry import public_checks

from . import actions
from .forms import FraudCheckForm, ReceiptForm, TipForm
from .models import Tip
from .privacy import digest, over_limit


def _limited(request, template: str, form):
    return render(request, template, {"form": form, "limited": True}, status=429)


@method_decorator(login_not_required, name="dispatch")
class HomeView(View):
    def get(self, request):
        return render(request, "portal/home.html", {"checks_available": bool(list(public_checks))})


@method_decorator(login_not_required, name="dispatch")
class TipView(View):
    """匿名举报: a tip becomes a clue of the 扫黑办; the receipt code is shown once."""

    def get(self, request):
        return render(request, "portal/tip.html", {"form": TipForm(initial={"submit_key": secrets.token_urlsafe(24)})})

    def post(self, request):
        form = TipForm(request.POST)
        if over_limit(request, "tip"):
            return _limited(request, "portal/tip.html", form)
        if not form.is_valid():
            return render(request, "portal/tip.html", {"form": form}, status=400)
        result, status = run_action(form, lambda: actions.submit_tip(actor=SYSTEM, **form.cleaned_data))
        if result is None:
            return render(request, "portal/tip.html", {"form": form}, status=status)
        _tip, code = result
        return render(request, "portal/tip_done.html", {"code": code})


def _progress(tip: Tip) -> dict:
    """What the tipster may read: the state and the office's answer — nothing personal."""
    clue = tip.clue
    if clue is None:
        return {"status": "已收到", "feedback": ""}
    case = clue.case
    status = "已办结" if not case.is_open else ("核查中" if case.status in ("in_progress", "feedback") else "已受理")
    if case.status == "reported":
        status = "已收到，待受理"
    return {"status": status, "feedback": clue.public_feedback, "submitted_on": tip.submitted_on}


@method_decorator(login_not_required, name="dispatch")
class ReceiptView(View):
    """查询办理情况 with the receipt code."""

    def get(self, request):
        return render(request, "portal/receipt.html", {"form": ReceiptForm()})

    def post(self, request):
        form = ReceiptForm(request.POST)
        if over_limit(request, "receipt", limit=30):
            return _limited(request, "portal/receipt.html", form)
        if not form.is_valid():
            return render(request, "portal/receipt.html", {"form": form}, status=400)
        tip = Tip.objects.select_related("clue__case").filter(receipt_hash=digest(form.cleaned_data["code"])).first()
        if tip is None:
            form.add_error("code", "回执码不正确")
            return render(request, "portal/receipt.html", {"form": form}, status=404)
        return render(request, "portal/receipt.html", {"form": ReceiptForm(), "progress": _progress(tip)})


@method_decorator(login_not_required, name="dispatch")
class FraudCheckView(View):
    """反诈查询: every registered public check (the anti-fraud domain's), or 暂不可用."""

    def get(self, request):
        available = bool(list(public_checks))
        return render(request, "portal/fraud.html", {"form": FraudCheckForm(), "available": available},
                      status=200 if available else 503)

    def post(self, request):
        form = FraudCheckForm(request.POST)
        available = bool(list(public_checks))
        if over_limit(request, "fraud", limit=60):
            return _limited(request, "portal/fraud.html", form)
        results = []
        if available and form.is_valid():
            results = [(c.label, c.check(form.cleaned_data["value"])) for c in public_checks]
        return render(request, "portal/fraud.html", {"form": form, "available": available, "results": results},
                      status=200 if available else 503)
