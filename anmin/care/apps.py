"""Domain: care of patients with severe mental disorders (严重精神障碍患者管理).

Its register is a register on a person (people's ``SpecialRecord``); it publishes the risk signal
"level ≥ 3 patient" other registries subscribe to.
"""


from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "anmin.care"
    label = "care"
    verbose_name = _("严重精神障碍患者管理")

    def ready(self) -> None:
        from anmin.core import registry
        from anmin.people.risk import risk_signals

        from . import api, demo, kpis, menus, panels, risk, roles, widgets
        from .tasks import care_sweep_task

        menus.register()
        from . import offline

        offline.register()
        widgets.register()
        kpis.register()
        api.register_routes()
        panels.register()
        risk_signals.register(risk.SIGNAL, risk.signal())
        registry.role_grants.register("care", roles.grants())
        registry.periodic_tasks.register(
            "care.sweep", registry.PeriodicTask("care.sweep", care_sweep_task, "随访逾期预警")
        )
        registry.demo_builders.register(
            "care", registry.DemoBuilder("care", demo.build, order=21, describe="严重精神障碍患者管理")
        )
