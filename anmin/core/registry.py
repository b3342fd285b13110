"""Registries that upper layers read and apps fill in ``AppConfig.ready()`` (the Wagtail hooks idea).

The lower layer defines the registry; domains register into it; nobody imports a domain to find it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered, keyed collection. Registering the same key twice is an error (catches copy-paste)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def get(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def items(self):
        return self._items.items()

    def keys(self):
        return self._items.keys()

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class MenuItem:
    """A left-menu entry; shown only to users holding ``perm`` (any of them, when a tuple)."""

    key: str
    section: str
    label: str
    url_name: str
    perm: str | tuple[str, ...] | None = None
    order: int = 100
    icon: str = "•"
    roles: tuple[str, ...] = ()  # restrict to these role codes (empty: any role with the perm)
    #: A further test of the user's permissions, the page's own where the perm alone does not say whether
    #: it shows them anything (the gap list: a rule whose records they may read) — no link to a 404.
    shown: Callable[[Any], bool] | None = None

    def allowed(self, user) -> bool:
        wanted = business_roles() if self.roles == (BUSINESS,) else self.roles
        if wanted and not user.has_role(*wanted):
            return False
        if self.shown is not None and not self.shown(user):
            return False
        if self.perm is None:
            return True
        perms = (self.perm,) if isinstance(self.perm, str) else self.perm
        return any(user.has_perm(p) for p in perms)


# The large buttons at the top of a role's home page (a grid worker's phone: 上报事件, 上报纠纷, 走访随访,
# 巡查): MenuItems whose ``section`` is ignored; each app registers its own.
quick_actions: Registry[MenuItem] = Registry("home quick actions")


def visible_quick_actions(user) -> list[MenuItem]:
    return sorted((a for a in quick_actions if a.allowed(user)), key=lambda a: (a.order, a.key))


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class Widget:
    """A home-page card. ``render(request)`` returns a context dict for ``template``."""

    key: str
    title: str
    template: str
    render: Callable[[Any], dict]
    perm: str | tuple[str, ...] | None = None
    roles: tuple[str, ...] = ()
    order: int = 100
    wide: bool = False  # spans the whole row of cards
    # Seconds its figures may be kept for the user's scope (core.scopecache: a write to a scoped
    # record invalidates them at once); 0: computed on every view (a card that reads unscoped logs).
    cache_seconds: int = 0

    def allowed(self, user) -> bool:
        return MenuItem(self.key, "", "", "", self.perm, roles=self.roles).allowed(user)


@dataclass(frozen=True)
class Kpi:
    """A named aggregate computed from records. ``compute(year=, region=, user=)`` returns a number.
    ``volatile``: the value moves with the time of day as well as with the records (open cases past
    their limit *now*); dashboards then keep it only ``ANMIN_FIGURES_TTL`` seconds. A ``compute``
    decorated with ``@volatile`` makes every KPI registered with it volatile.

    ``by_area(year=, region=, codes=, user=)``, when given, answers ``compute`` for each of ``codes`` —
    sibling areas inside ``region`` (a dashboard's townships, a township's villages) — at once, as
    ``{code: value}``, each equal to ``compute(year=, region=code, user=)``: a dashboard's table of 26
    townships is then one grouped statement, not 26 (``core.areas``)."""

    key: str
    label: str
    compute: Callable[..., Any]
    unit: str = ""
    app: str = ""
    volatile: bool = False
    by_area: Callable[..., dict[str, Any]] | None = None

    def __post_init__(self):
        if getattr(self.compute, "volatile", False):
            object.__setattr__(self, "volatile", True)


def volatile(fn):
    """Marks a KPI's compute function as moving with the clock (see ``Kpi.volatile``)."""
    fn.volatile = True
    return fn


@dataclass(frozen=True)
class DemoBuilder:
    """A step of the demo world. Runs in ``order``; must be idempotent."""

    key: str
    build: Callable[..., Any]
    order: int = 100
    describe: str = ""
    notes: tuple[str, ...] = ()  # printed after the demo logins (e.g. a demo passphrase)


@dataclass(frozen=True)
class DemoAccount:
    """A printed demo login: ``org`` is the key of an org unit the core demo builds (``center-<code>``,
    ``police-<code>``, ``mediation-<code>``, ``city-peace-office`` …); ``grids`` the grid worker's grids
    ("first" for the first grid of the demo village). Apps add the logins of their roles."""

    username: str
    name: str
    role: str
    org: str
    order: int = 100
    grids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: Any
    basename: str


menu_sections: Registry[MenuSection] = Registry("menu sections")
menu: Registry[MenuItem] = Registry("menu")
widgets: Registry[Widget] = Registry("widgets")
kpis: Registry[Kpi] = Registry("kpis")
demo_builders: Registry[DemoBuilder] = Registry("demo builders")
demo_accounts: Registry[DemoAccount] = Registry("demo accounts")
api_routes: Registry[ApiRoute] = Registry("api routes")


def visible_menu(user) -> list[tuple[MenuSection, list[MenuItem]]]:
    sections = sorted(menu_sections, key=lambda s: s.order)
    out = []
    for section in sections:
        items = sorted((m for m in menu if m.section == section.key and m.allowed(user)), key=lambda m: m.order)
        if items:
            out.append((section, items))
    return out


@dataclass(frozen=True)
class RoleDef:
    """A role an app brings (core the foundation's; each domain its own, e.g. disputes 调解员). Created
    by ``sync_roles`` with these defaults; its permissions come from ``role_grants``. ``scope`` is an
    ``accounts.ScopeKind``; ``org_kinds`` the kinds of org unit its users belong to (the first one is
    where a test world places its user)."""

    code: str
    name: str
    scope: str
    description: str
    privileged: bool = False
    read_only: bool = False
    order: int = 100
    org_kinds: tuple[str, ...] = ()
    app: str = "core"


roles: Registry[RoleDef] = Registry("roles")
BUSINESS = "@business"  # in a RoleGrants or a menu item: every role with business data (not 系统管理员, 审计员)


def business_roles() -> tuple[str, ...]:
    """Codes of every registered role whose scope reaches business data."""
    return tuple(r.code for r in sorted(roles, key=lambda r: r.order) if r.scope != "none")


@dataclass(frozen=True)
class RoleGrants:
    """Default permissions an app gives each role code ("app_label.codename"); the key ``BUSINESS``
    gives them to every role with business data. Applied once by ``sync_roles``; what an administrator
    removes later stays removed."""

    app: str
    grants: dict[str, tuple[str, ...]]


role_grants: Registry[RoleGrants] = Registry("role grants")


@dataclass(frozen=True)
class PeriodicTask:
    """A background task (Django tasks API) the scheduler enqueues at every round, e.g. a sweep.

    ``task`` is the ``@task()``-decorated function; a run still queued or running is not enqueued
    again."""

    key: str
    task: Any
    label: str = ""


periodic_tasks: Registry[PeriodicTask] = Registry("periodic tasks")


@dataclass(frozen=True)
class AttachmentOwner:
    """A model whose records may carry attachments (``anmin.core.attachments``), keyed by its label
    ("disputes.dispute"). An attachment is visible exactly when its owner is
    (``Owner.objects.visible_to(user)``); ``may_attach(user, owner)`` says who may add one (the
    owner must also be visible to them). ``categories`` are (code, label) pairs offered on the
    upload form (empty: no category); ``kinds`` narrows ``settings.ANMIN_ATTACHMENT_KINDS``."""

    model: str
    label: str
    may_attach: Callable[[Any, Any], bool]
    categories: tuple[tuple[str, str], ...] = ()
    kinds: tuple[str, ...] | None = None
    max_count: int = 50

    def category_label(self, code: str) -> str:
        return str(dict(self.categories).get(code, code))


attachment_owners: Registry[AttachmentOwner] = Registry("attachment owners")


@dataclass(frozen=True)
class ReferenceData:
    """Reference data every installation needs (a code table, default risk factors), loaded after
    every migrate and every test flush. ``load()`` must be idempotent and keep what an administrator
    changed; ``tables`` are the database tables it writes (it is skipped until they exist)."""

    key: str
    load: Callable[[], Any]
    tables: tuple[str, ...] = ("core_codetable",)


reference_data: Registry[ReferenceData] = Registry("reference data")


def load_reference_data(using: str = "default") -> None:
    from django.db import connections

    existing = set(connections[using].introspection.table_names())
    for item in reference_data:
        if set(item.tables) <= existing:
            item.load()


# The code tables an app ships (a JSON file in the layout of core/data/codes.json): the foundation's
# loader (``anmin.core.codes.load_code_tables``, ``anmin setup``, the demo, after every migrate) reads them.
code_files: Registry[Any] = Registry("code table files")

# --- Analytics, reports, maps and assessment: filled by domains, read by the top layer -------------
# Analytics and assessment sit above the domains, so a domain cannot import them: the types a domain
# fills live here, and ``anmin.analytics`` / ``anmin.assessment`` read them (docs/analytics.md).


@dataclass(frozen=True)
class DrillLink:
    """Where the records behind a KPI's figure are: ``url(region=, year=)`` returns the ledger URL
    filtered the same way (the region code's subtree, the year), or "" when there is none."""

    kpi: str
    url: Callable[..., str]


drill_links: Registry[DrillLink] = Registry("drill links")


@dataclass(frozen=True)
class ChartSource:
    """A dashboard chart.

    ``kind``:
      * ``"areas"``: one bar (or line) per sub-area of the viewer's area for each KPI in ``kpis``
        (the city sees its townships, a township its villages, a village its grids);
      * ``"categories"``: the parts of a dict-valued KPI (``kpis[0]``) as a pie;
      * ``"custom"``: ``compute(user=, region=, year=)`` returns ``{"labels": [...], "series":
        [{"name": ..., "values": [...]}], "links": [...]}`` itself.
    The chart is shown when every KPI in ``kpis`` is registered and the viewer holds ``perm``."""

    key: str
    title: str
    kind: str = "areas"
    kpis: tuple[str, ...] = ()
    compute: Callable[..., dict] | None = None
    perm: str | None = None
    order: int = 100
    chart: str = "bar"  # bar | line | pie
    bigscreen: bool = False  # also shown on the 大屏


chart_sources: Registry[ChartSource] = Registry("chart sources")


@dataclass(frozen=True)
class MapLayer:
    """A layer of the map. ``points(user=, region=, year=)`` returns dicts ``{"lat", "lng", "label",
    "url", "group"}`` — records the user may see (``visible_to``) inside ``region`` that have
    coordinates, at most ``MAP_MAX_POINTS`` of them; ``url`` is the record's page; ``group`` "open" or
    "attention" (an open case, a camera off line, a water without signs) is drawn solid, any other
    faded. ``kind`` is ``"points"`` (clustered markers) or ``"areas"`` (``points`` then returns
    ``{"code", "value", "label"}`` per region for a choropleth). ``perm``: who sees the layer at all."""

    key: str
    label: str
    points: Callable[..., list[dict]]
    kind: str = "points"
    perm: str | None = None
    order: int = 100
    colour: str = "#1f6feb"
    default_on: bool = True


map_layers: Registry[MapLayer] = Registry("map layers")
#: The most points one layer sends (its most relevant first: open cases, records needing attention).
MAP_MAX_POINTS = 3000


@dataclass(frozen=True)
class ReportSection:
    """A section of a generated report (年度工作总结, 通报): the seed-style two-line heading
    (``heading`` then ``subheading``), an opening ``intro`` and the paragraphs registered for it in
    ``report_paragraphs``, in order. ``reports`` names the reports it belongs to."""

    key: str
    heading: str
    subheading: str = ""
    order: int = 100
    intro: str = ""
    reports: tuple[str, ...] = ("annual",)


@dataclass(frozen=True)
class ReportParagraph:
    """One paragraph of a report section. ``text`` is Chinese prose with figures as
    ``{{kpi.key}}`` placeholders, optionally with a format: ``{{disputes.found|余}}`` (rounded
    down, "3400余"), ``{{disputes.success_rate|pct}}``, ``{{disputes.found|yoy}}`` (the comparison
    with the previous year), ``{{disputes.criminal|none:全市无“民转刑”案件发生|全市发生“民转刑”案件{n}件}}``
    (a phrase for zero and one for any other value). A figure whose KPI is not registered is printed
    as a marked gap for the editor ("【暂无数据：…】"), never invented."""

    key: str
    section: str
    text: str
    order: int = 100
    reports: tuple[str, ...] = ("annual",)


report_sections: Registry[ReportSection] = Registry("report sections")
report_paragraphs: Registry[ReportParagraph] = Registry("report paragraphs")


@dataclass(frozen=True)
class AssessmentIndicator:
    """An indicator a domain offers to the assessment (考核评估): bound to a KPI with a default
    scoring rule. ``kind``: ``"score"`` (points by ``rule``), ``"deduction"`` (points off per
    occurrence, capped) or ``"veto"`` (一票否决 proposed when the KPI is above ``rule["above"]``,
    confirmed by a person). ``rule`` is the rule's data, e.g. ``{"type": "proportional", "full_at":
    90}``, ``{"type": "thresholds", "steps": [[95, 1.0], [85, 0.8]]}``, ``{"type": "ranking"}``,
    ``{"type": "per_item", "points": 1}``; ``unit_types`` the kinds of unit it applies to."""

    key: str
    label: str
    kpi: str
    kind: str = "score"
    rule: dict | None = None
    unit_types: tuple[str, ...] = ("township",)
    description: str = ""


assessment_indicators: Registry[AssessmentIndicator] = Registry("assessment indicators")


# Resolvers (object_type, step) → the step's name in words, for the audit log (the case engine's steps).
audit_step_labels: Registry[Callable[[str, str], str | None]] = Registry("audit step labels")


# -- Public checks (the portal's 反诈查询 and the like) ----------------------------------------------
@dataclass(frozen=True)
class PublicCheck:
    """A lookup the public portal offers without a login, filled by the domain that owns the data (the
    anti-fraud domain its blacklist). ``check(value)`` gets what the citizen typed (a phone number, a
    bank account or a link) and returns a ``PublicCheckResult``; it must not reveal personal data."""

    key: str
    label: str
    check: Callable[[str], Any]
    help_text: str = ""
    app: str = ""


@dataclass(frozen=True)
class PublicCheckResult:
    risky: bool
    message: str  # shown to the citizen as is (Chinese)


public_checks: Registry[PublicCheck] = Registry("public checks")
