from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampusConfig(AppConfig):
    name = "anmin.campus"
    label = "campus"
    verbose_name = _("平安校园")

    def ready(self) -> None:
        from . import registration

        registration.register()
