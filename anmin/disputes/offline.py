"""The dispute report form works with no network (docs/offline.md): the phone keeps the page and posts
a report kept offline to it again later, under the idempotency key it made."""

from anmin.core.offline import OfflinePage, offline_pages

from .actions.disputes import ADD_PERM


def register() -> None:
    offline_pages.register("dispute_report", OfflinePage("dispute_report", "disputes:dispute_report", ADD_PERM))
