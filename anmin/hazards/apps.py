from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anmin.hazards"
    label = "hazards"
    verbose_name = _("水域铁路与酒驾整治")

    def ready(self) -> None:
        from . import registration

        registration.register()
