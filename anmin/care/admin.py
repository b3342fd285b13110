"""System administration of care: only the care rules (configuration, no personal data).
The registers themselves are never in the admin (三员分立: the administrator sees no business data)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from anmin.core.admin import AuditedAdmin

from . import rules
from .models import CareConfig


class CareConfigForm(forms.ModelForm):
    class Meta:
        model = CareConfig
        fields = ["key", "rules"]

    def clean_rules(self):
        value = self.cleaned_data["rules"] or {}
        try:
            rules.validate_rules(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return value


@admin.register(CareConfig)
class CareConfigAdmin(AuditedAdmin):
    form = CareConfigForm
    list_display = ["key", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        rules.clear_cache()
