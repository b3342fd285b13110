"""The foundation's own forms: login (with the lockout message), second factor, password change."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import EmptyResultSet, ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import audit, logins, markup


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码错误（区分大小写）。"),
        "inactive": _("该账号已停用。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            locked = self._locked_until()
            if locked is not None:
                raise ValidationError(
                    gettext("登录失败次数过多：账号“%(username)s”在当前地址已锁定至 %(until)s，请稍后再试。")
                    % {"username": self.cleaned_data.get("username", ""), "until": locked},
                    code="locked",
                ) from None
            raise

    def _locked_until(self) -> str | None:
        until = logins.locked_until(
            username=self.cleaned_data.get("username"), address=audit.client_address(self.request)
        )
        return timezone.localtime(until).strftime("%H:%M") if until else None


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        min_length=6,
        max_length=8,
        help_text=_("手机验证器应用（如 FreeOTP、Google Authenticator、微信小程序“腾讯身份验证器”）显示的 6 位数字"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": _("动态口令：必填。"),
            "min_length": _("动态口令：应为 6 位数字。"),
            "max_length": _("动态口令：应为 6 位数字。"),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("动态口令：只能是数字。"), code="digits")
        return token


class AnminPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, new password twice, validators) with Chinese labels."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码：输入不正确。"),
        "password_mismatch": _("确认新密码：两次输入的新密码不一致。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        # The rules' messages belong to the new password itself, not to its confirmation.
        self.validate_password_for_user(self.user, "new_password1")
        new = self.cleaned_data.get("new_password1")
        if new and new == self.cleaned_data.get("old_password"):
            self.add_error("new_password1", ValidationError(_("新密码：不能与原密码相同。"), code="password_unchanged"))
        return self.cleaned_data

    def save(self, commit: bool = True):  # the page calls logins.change_password instead
        raise NotImplementedError("use anmin.core.logins.change_password")


class DateInput(forms.DateInput):
    """A native date picker (phones show their own); its value must be ISO, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class QuickSelect(forms.Select):
    """A ``<select>`` built in Python, not through one template per option: a city user's filter bar
    (every grid, every mediation organisation) renders in milliseconds. Same markup as ``Select``."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        name_of_options, choices = option_source(self.choices)
        if name_of_options is None:
            options = markup.options_html(choices)
        else:  # the same options for everyone whose scope gives the same query: drawn once
            from .scopecache import reference_object

            options = reference_object(f"html:{name_of_options}", lambda: markup.options_html(choices))
        return format_html("<select name=\"{}\"{}>{}</select>", name,
                           flatatt(self.build_attrs(self.attrs, attrs)), mark_safe(markup.select(options, chosen)))


def option_name(choices) -> str | None:
    """The name the options of a drop-down are cached under: its query (which carries the scope), empty
    label and language; None for a drop-down not drawn from reference data (not cached)."""
    if not isinstance(choices, ModelChoiceIterator):
        return None
    from .scopecache import _is_reference

    qs = choices.queryset
    if not _is_reference(qs.model):
        return None
    try:
        sql = str(qs.query)
    except EmptyResultSet:
        return None
    return f"options:{sql}:{choices.field.empty_label}:{get_language()}"


def option_source(choices) -> tuple[str | None, list | object]:
    """The options of a drop-down, and the name they are cached under (None: not cached). Those drawn
    from reference data (a scope's townships, villages, grids, org units) come from ``core.scopecache``
    — the same for everyone whose scope gives the same query, until the region tree or an org unit
    changes."""
    name = option_name(choices)
    if name is None:
        return None, choices
    from .scopecache import cached_reference

    return name, cached_reference(name, lambda: [(str(k), str(label)) for k, label in choices])


def quicken_selects(form: forms.Form) -> None:
    """Give every plain drop-down of ``form`` the fast renderer (same choices, attributes, markup)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            quick = QuickSelect(attrs=widget.attrs)
            quick.choices = widget.choices
            quick.is_required = widget.is_required
            field.widget = quick


class YesNoFilterWidget(forms.Select):
    """A yes/no filter drop-down whose labels follow the page's language (django-filter's
    ``BooleanWidget`` fixes its labels in whatever language is active when the filter set is
    defined). Sends ``true`` / ``false``; empty means no filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=(("", _("全部")), ("true", _("是")), ("false", _("否"))))

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return {"true": True, "false": False, "True": True, "False": False, "1": True, "0": False}.get(value)

    def format_value(self, value):
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]


class RegionChoiceField(forms.ModelChoiceField):
    """The one place picker: "township / village / grid", drawn fast. Give it
    ``Region.objects.reportable_by(user)`` (or another scoped queryset) as its queryset."""

    widget = QuickSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _region_none())
        kwargs.setdefault("empty_label", "——")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.full_name


def _region_none():
    from .models import Region

    return Region.objects.none()


def preselect_single(field: forms.ModelChoiceField) -> None:
    """A picker with exactly one choice (a grid worker's only grid) starts on it."""
    options = list(field.queryset[:2])
    if len(options) == 1:
        field.initial = options[0].pk
