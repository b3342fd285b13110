"""What a domain registers at start-up, declared once instead of a call per registry in every app::

    class GridConfig(AppConfig):
        def ready(self):
            from . import api, demo, kpis, workflows
            CaseDomain("grid", kinds=(workflows.GRID_EVENT,), menu=(MenuItem(...), ...), grants={...},
                       api_routes=api.ROUTES, kpis=kpis.register, demo=DemoBuilder("grid", demo.build, ...),
                       ...).register()

``register()`` puts each piece in the foundation's registry: the case kinds (``register_kind``), menu
entries and home quick actions, the default grants of the built-in roles (applied once by ``sync_roles``),
API routes, pages the offline app keeps, code-table files (reference data every installation loads), the
domain's indicators (``kpis``: a function that registers them), the demo builder and the reporter other
domains' pages use to report into this one (``EventReporter``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from anmin.core import registry as core
from anmin.core.offline import OfflinePage, offline_pages

from ..registry import CaseKind, EventReporter, event_reporters, register_kind


@dataclass(frozen=True)
class CaseDomain:
    app: str
    kinds: tuple[CaseKind, ...] = ()
    menu: tuple[core.MenuItem, ...] = ()
    quick_actions: tuple[core.MenuItem, ...] = ()
    grants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # role code -> permissions
    api_routes: tuple[core.ApiRoute, ...] = ()
    offline_pages: tuple[OfflinePage, ...] = ()
    code_file: Path | None = None
    kpis: Callable[[], None] | None = None
    demo: core.DemoBuilder | None = None
    reporter: EventReporter | None = None

    def register(self) -> None:
        for kind in self.kinds:
            register_kind(kind)
        for item in self.menu:
            core.menu.register(item.key, item)
        for item in self.quick_actions:
            core.quick_actions.register(item.key, item)
        for page in self.offline_pages:
            offline_pages.register(page.key, page)
        if self.kpis is not None:
            self.kpis()
        for route in self.api_routes:
            core.api_routes.register(route.prefix, route)
        if self.grants:
            core.role_grants.register(self.app, core.RoleGrants(self.app, dict(self.grants)))
        if self.demo is not None:
            core.demo_builders.register(self.demo.key, self.demo)
        if self.code_file is not None:
            core.code_files.register(self.app, self.code_file)
        if self.reporter is not None:
            event_reporters.register(self.reporter.key, self.reporter)
