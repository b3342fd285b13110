from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "anmin.campaigns"
    label = "campaigns"
    verbose_name = _("平安创建与宣传")

    def ready(self) -> None:
        from . import registration

        registration.register()
