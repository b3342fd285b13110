"""Settings of ``python -m bench.firstscreen``: the development settings with static files served as in
production — collected, hashed names, compressed copies, WhiteNoise's far-future caching — but plain
HTTP on 127.0.0.1 (production's secure cookies would need TLS)."""

import os
from pathlib import Path

from anmin.settings import *  # noqa: F403
from anmin.settings import STORAGES

DEBUG = False
STATIC_ROOT = Path(os.environ["FIRSTSCREEN_STATIC_ROOT"])
WHITENOISE_USE_FINDERS = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
