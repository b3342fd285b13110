"""The portal's pages: no login, no staff session read (``request.user`` is never looked at), phone
width, no inline script. What the public submits goes through ``actions``."""

from __future__ import annotations

import secrets

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from anmin.core.actors import SYSTEM
from anmin.core.errors import run_action
from anmin.core.registry import public_checks
from anmin.crackdown.actions import reporter_conversation

from . import actions, pow
from .forms import AnswerForm, FraudCheckForm, ReceiptForm, TipForm
from .models import Tip
from .privacy import LIMIT_PER_HOUR, over_limit


def _may_post(request, bucket: str, limit: int) -> bool:
    """Under the network's hourly limit, or over it with a solved proof of work (``pow``)."""
    return not over_limit(request, bucket, limit) or pow.accepted(request.POST, bucket)


def _prove(request, template: str, form, bucket: str, **context):
    """Over the limit: the form again, with a challenge that ``pow.js`` solves before it posts."""
    return render(request, template, {"form": form, **_challenge(bucket), **context}, status=429)


def _challenge(bucket: str) -> dict:
    return {"pow_challenge": pow.issue(bucket), "pow_bits": pow.bits()}


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
        form = TipForm(request.POST, request.FILES)
        if not _may_post(request, "tip", LIMIT_PER_HOUR):
            return _prove(request, "portal/tip.html", form, "tip")
        if not form.is_valid():
            return render(request, "portal/tip.html", {"form": form}, status=400)
        d = form.cleaned_data
        result, status = run_action(form, lambda: actions.submit_tip(
            actor=SYSTEM, submit_key=d["submit_key"], category=d["category"], text=d["text"],
            passphrase=d["passphrase"], contact=d["contact"], files=d["files"]))
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
    return {"status": status, "feedback": clue.public_feedback, "submitted_on": tip.submitted_on,
            "conversation": reporter_conversation(clue) if tip.passphrase_hash else [],
            "can_answer": bool(tip.passphrase_hash)}


# Once the code and passphrase are checked, the page carries a signed token (the tip's id, valid for
# half an hour) so that the answer form need not send the passphrase again. No cookie, no session.
TOKEN_SALT, TOKEN_MAX_AGE = "anmin.portal.receipt", 1800


def _opened(request, tip: Tip, *, form=None, message: str = "", status: int = 200, pow_bucket: str = ""):
    progress = _progress(tip)
    answer = form or (AnswerForm(initial={"token": signing.dumps(tip.pk, salt=TOKEN_SALT)})
                      if progress["can_answer"] else None)
    context = {"form": ReceiptForm(), "progress": progress, "answer_form": answer, "message": message}
    if pow_bucket:  # the answer form comes back with a proof of work to do
        context.update(_challenge(pow_bucket), pow_generic=True)
    return render(request, "portal/receipt.html", context, status=status)


@method_decorator(login_not_required, name="dispatch")
class ReceiptView(View):
    """查询办理情况 with the receipt code."""

    def get(self, request):
        return render(request, "portal/receipt.html", {"form": ReceiptForm()})

    def post(self, request):
        form = ReceiptForm(request.POST)
        if not _may_post(request, "receipt", 30):
            return _prove(request, "portal/receipt.html", form, "receipt")
        if not form.is_valid():
            return render(request, "portal/receipt.html", {"form": form}, status=400)
        d = form.cleaned_data
        tip, status = run_action(form, lambda: actions.open_receipt(actor=SYSTEM, code=d["code"],
                                                                    passphrase=d["passphrase"]))
        if tip is None:
            return render(request, "portal/receipt.html", {"form": form}, status=status)
        return _opened(request, tip)


@method_decorator(login_not_required, name="dispatch")
class AnswerView(View):
    """举报人补充: the tipster answers the office (anonymously) from the opened receipt."""

    def post(self, request):
        form = AnswerForm(request.POST)
        try:
            pk = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            tip = Tip.objects.select_related("clue__case").get(pk=pk, passphrase_hash__gt="")
        except (signing.BadSignature, Tip.DoesNotExist):
            return render(request, "portal/receipt.html", {"form": ReceiptForm(),
                                                           "error": "页面已过期，请重新输入回执码和口令"}, status=403)
        if not _may_post(request, "answer", 30):  # the answer comes back, with a proof of work to do
            return _opened(request, tip, form=form, status=429, pow_bucket="answer")
        if not form.is_valid():
            return _opened(request, tip, form=form, status=400)
        done, status = run_action(form, lambda: actions.answer_office(actor=SYSTEM, tip=tip,
                                                                      answer=form.cleaned_data["answer"]))
        if done is None:
            return _opened(request, tip, form=form, status=status)
        return _opened(request, tip, message="已提交，办案单位会看到您的补充")


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
        if not _may_post(request, "fraud", 60):
            return _prove(request, "portal/fraud.html", form, "fraud", available=available, pow_generic=True)
        results = []
        if available and form.is_valid():
            results = [(c.label, c.check(form.cleaned_data["value"])) for c in public_checks]
        return render(request, "portal/fraud.html", {"form": form, "available": available, "results": results},
                      status=200 if available else 503)
