"""The grid report form works with no network (docs/offline.md): the phone keeps the page (code tables
and the worker's own grids, no personal data) and sends a report kept offline to the API."""

from anmin.core.offline import OfflinePage, offline_pages

from .actions import ADD_PERM


def register() -> None:
    offline_pages.register("grid_report", OfflinePage("grid_report", "grid:event_report", ADD_PERM))
