"""What a web worker does once, after loading the application and before its first request."""

from __future__ import annotations

import gc


def settle() -> None:
    """Build the URL resolver (the first request would pay it: about half a CPU-second) and take
    everything loaded so far — modules, models, URL patterns, settings, some 200,000 objects — out of
    the garbage collector's sight (``gc.freeze``). Those live as long as the process; without this,
    each full collection walks all of them (about 100 ms of CPU on the shared 2-core machine) inside
    whichever request happens to trigger it, every few hundred requests. Collections then only walk
    what requests create."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # imports every view and builds the reverse look-up  # noqa: B018
    gc.collect()
    gc.freeze()
