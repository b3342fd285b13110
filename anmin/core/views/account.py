"""The signed-in user's own security pages: password change, TOTP set-up and the TOTP step at login."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from .. import logins
from ..forms import AnminPasswordChangeForm, OtpTokenForm


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class PasswordChangePage(FormView):
    template_name = "core/password_change.html"
    form_class = AnminPasswordChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("修改密码"),
            submit_label=_("修改密码"),
            cancel_url=resolve_url("core:profile"),
            forced=self.request.user.must_change_password,
            next=self.request.GET.get("next", ""),
        )
        return ctx

    def form_valid(self, form):
        logins.change_password(
            user=self.request.user, new_password=form.cleaned_data["new_password1"], request=self.request
        )
        messages.success(self.request, gettext("密码已修改；您在其他设备上的登录已失效。"))
        return redirect(_next_url(self.request))


class OtpSetupPage(FormView):
    """Bind a TOTP authenticator: scan the QR code (inline SVG, no external service), enter a code."""

    template_name = "core/otp_setup.html"
    form_class = OtpTokenForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        device = logins.pending_otp_device(self.request.user)
        secret = b32encode(device.bin_key).decode("ascii")
        ctx.update(
            title=_("绑定动态口令（双因素认证）"),
            qr_svg=segno.make(device.config_url, error="m").svg_inline(dark="#1f2937", border=2, omitsize=True),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
            has_device=logins.has_otp_device(self.request.user),
            next=self.request.GET.get("next", ""),
        )
        return ctx

    def form_valid(self, form):
        device = logins.pending_otp_device(self.request.user)
        if not logins.confirm_otp_device(request=self.request, device=device, token=form.cleaned_data["token"]):
            form.add_error("token", gettext("动态口令：不正确或已过期，请输入验证器当前显示的数字。"))
            return self.form_invalid(form)
        messages.success(self.request, gettext("动态口令已绑定；以后登录时需输入验证器显示的数字。"))
        return redirect(_next_url(self.request))


class OtpVerifyPage(FormView):
    """The second step of a privileged user's login."""

    template_name = "core/otp_verify.html"
    form_class = OtpTokenForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("输入动态口令"), next=self.request.GET.get("next", ""))
        return ctx

    def form_valid(self, form):
        if not logins.verify_otp(request=self.request, token=form.cleaned_data["token"]):
            form.add_error("token", gettext("动态口令：不正确或已过期（连续输错需等待更久才能再试）。"))
            return self.form_invalid(form)
        return redirect(_next_url(self.request))


class TokenRevokeView(View):
    """The signed-in user revokes one of their own API tokens (listed on the profile page)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        from .. import tokens
        from ..models import ApiToken
        from ..models.tokens import TokenRevocation

        token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own
        if tokens.revoke(token=token, actor=request.user, reason=TokenRevocation.USER, request=request):
            messages.success(request, gettext("已注销令牌 %(prefix)s…。") % {"prefix": token.prefix})
        return redirect("core:profile")
