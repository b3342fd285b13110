"""Several app servers serve one city (docs/scaling-out.md): uploads go through ``STORAGES["uploads"]``
(an object store instead of the local directory when configured), and a deployment with a replica
or a task broker but a per-process cache is warned about."""

from __future__ import annotations

from django.core.files.storage import storages

from anmin.core.attachments import storage as upload
from anmin.core.deploy_checks import check_shared_cache


def test_uploads_are_written_to_the_configured_storage(settings, upload_dir):
    settings.STORAGES = {**settings.STORAGES,
                         "uploads": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    name = upload.save_bytes(b"%PDF-1.4 test", ext="pdf")
    assert storages["uploads"].exists(name)
    assert not (upload_dir / name).exists()  # nothing on this server's disk
    upload.discard([name])
    assert not storages["uploads"].exists(name)


def test_by_default_uploads_stay_in_the_upload_directory(upload_dir):
    name = upload.save_bytes(b"%PDF-1.4 test", ext="pdf")
    assert (upload_dir / name).exists()


def test_a_replica_with_a_per_process_cache_is_warned_about(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.ANMIN_DB_REPLICAS = []
    settings.ANMIN_TASK_BROKER_URL = ""
    assert check_shared_cache() == []
    settings.ANMIN_DB_REPLICAS = ["replica1"]
    assert [w.id for w in check_shared_cache()] == ["anmin.deploy.W104"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0"}}
    assert check_shared_cache() == []
