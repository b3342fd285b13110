"""Idempotency keys: a retried create yields one record; a reused key with another body is 422;
a duplicate while the first is in flight is 409. (Test-only views in ``idempotency_urls``.)"""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from anmin.core import idempotency
from anmin.core.models import CodeTable, IdempotencyKey, Role
from anmin.core.models.idempotency import IdempotencyState

pytestmark = pytest.mark.urls("anmin.core.tests.idempotency_urls")

API = "/test-idem/api/codes/"
FORM = "/test-idem/codes/new/"
FORM_FN = "/test-idem/codes/new-fn/"


def post_json(client, data, key=None, raw: str | None = None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        API, raw if raw is not None else json.dumps(data), content_type="application/json", headers=headers
    )


def later(hours: float = 0, seconds: float = 0):
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=hours, seconds=seconds)
    )


@pytest.fixture
def worker(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    return client


# ---- API ------------------------------------------------------------------------------------------


def test_a_retried_api_create_with_the_same_key_yields_one_record(worker):
    data = {"key": "petition-kinds", "name": "信访类别"}
    first = post_json(worker, data, key="k-1")
    assert first.status_code == 201
    retry = post_json(worker, data, key="k-1")
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert CodeTable.objects.filter(key="petition-kinds").count() == 1


def test_the_same_json_in_another_key_order_is_the_same_request(worker):
    first = post_json(worker, None, key="k-2", raw='{"key": "a-kinds", "name": "甲类"}')
    retry = post_json(worker, None, key="k-2", raw='{"name":"甲类","key":"a-kinds"}')
    assert first.status_code == retry.status_code == 201
    assert CodeTable.objects.filter(key="a-kinds").count() == 1


def test_the_same_key_with_a_different_body_is_refused_with_422(worker):
    assert post_json(worker, {"key": "b-kinds", "name": "乙类"}, key="k-3").status_code == 201
    resp = post_json(worker, {"key": "c-kinds", "name": "丙类"}, key="k-3")
    assert resp.status_code == 422
    assert resp.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in resp.json()["message"]
    assert not CodeTable.objects.filter(key="c-kinds").exists()


def test_a_duplicate_while_the_first_is_in_flight_gets_409(worker, world):
    data = {"key": "d-kinds", "name": "丁类"}
    # The first request has claimed the key and is still working.
    claim = idempotency.claim(
        user=world.user(Role.GRID_WORKER),
        key="k-4",
        fingerprint=idempotency.fingerprint(method="POST", path=API, body=data),
    )
    assert claim.outcome is idempotency.Claim.NEW
    resp = post_json(worker, data, key="k-4")
    assert resp.status_code == 409
    assert resp.json()["code"] == "idempotency_in_flight"
    assert not CodeTable.objects.filter(key="d-kinds").exists()
    # Once the first finishes, a retry gets its response.
    idempotency.complete(claim.record, status_code=201, body=json.dumps({"id": 99, **data}))
    resp = post_json(worker, data, key="k-4")
    assert resp.status_code == 201
    assert resp.json()["id"] == 99


def test_an_abandoned_in_flight_key_may_be_reused(worker, world):
    data = {"key": "e-kinds", "name": "戊类"}
    idempotency.claim(
        user=world.user(Role.GRID_WORKER),
        key="k-5",
        fingerprint=idempotency.fingerprint(method="POST", path=API, body=data),
    )
    with later(seconds=600):
        assert post_json(worker, data, key="k-5").status_code == 201
    assert CodeTable.objects.filter(key="e-kinds").count() == 1


def test_a_failed_create_releases_the_key(worker):
    bad = post_json(worker, {"key": "not a slug!", "name": "坏"}, key="k-6")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-6").exists()
    good = post_json(worker, {"key": "f-kinds", "name": "己类"}, key="k-6")
    assert good.status_code == 201


def test_keys_are_per_user(worker, world):
    data = {"key": "g-kinds", "name": "庚类"}
    assert post_json(worker, data, key="shared").status_code == 201
    other = Client()
    other.force_login(world.user(Role.TOWNSHIP_CENTER))
    # Another user's identical key is a different request: it runs (and fails on the unique code).
    resp = post_json(other, {"key": "h-kinds", "name": "辛类"}, key="shared")
    assert resp.status_code == 201
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_keys_expire_after_their_time_to_live(worker, world, settings):
    # 30 days by default: an offline phone may retry that late (docs/offline.md).
    assert settings.ANMIN_IDEMPOTENCY_TTL_HOURS == 720
    data = {"key": "i-kinds", "name": "壬类"}
    assert post_json(worker, data, key="k-7").status_code == 201
    with later(hours=29 * 24):
        worker.force_login(world.user(Role.GRID_WORKER))
        assert post_json(worker, data, key="k-7").status_code == 201  # replayed: still the first record
    assert CodeTable.objects.filter(key="i-kinds").count() == 1
    with later(hours=721):
        worker.force_login(world.user(Role.GRID_WORKER))  # the idle session has long ended
        resp = post_json(worker, {"key": "j-kinds", "name": "癸类"}, key="k-7")
    assert resp.status_code == 201
    assert CodeTable.objects.filter(key__in=["i-kinds", "j-kinds"]).count() == 2


def test_the_periodic_purge_forgets_only_expired_keys(worker):
    from anmin.core.registry import periodic_tasks

    assert post_json(worker, {"key": "p-kinds", "name": "旧"}, key="old").status_code == 201
    assert post_json(worker, {"key": "q-kinds", "name": "新"}, key="new").status_code == 201
    IdempotencyKey.objects.filter(key="old").update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "core.idempotency_purge" in {job.key for job in periodic_tasks}
    assert idempotency.purge_expired() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_without_a_key_every_post_creates(worker):
    assert post_json(worker, {"key": "k-kinds", "name": "甲"}).status_code == 201
    assert post_json(worker, {"key": "l-kinds", "name": "乙"}).status_code == 201
    assert not IdempotencyKey.objects.exists()


def test_an_unusable_key_is_a_400_naming_the_header(worker):
    resp = post_json(worker, {"key": "m-kinds", "name": "丙"}, key="x" * 300)
    assert resp.status_code == 400
    assert "Idempotency-Key" in resp.content.decode()


# ---- form pages ------------------------------------------------------------------------------------


def form_key(client, url: str) -> str:
    page = client.get(url).content.decode()
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert match, "the form page must carry an idempotency key"
    return match.group(1)


@pytest.mark.parametrize("url", [FORM, FORM_FN])
def test_a_resubmitted_form_yields_one_record_and_the_same_redirect(worker, url):
    key = form_key(worker, url) if url == FORM else "form-key-1"
    data = {"key": "n-kinds", "name": "表单", "idempotency_key": key, "csrfmiddlewaretoken": "a"}
    first = worker.post(url, data)
    assert first.status_code == 302
    again = worker.post(url, {**data, "csrfmiddlewaretoken": "b"})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert CodeTable.objects.filter(key="n-kinds").count() == 1


def test_a_form_resubmitted_with_other_content_gets_422(worker):
    key = form_key(worker, FORM)
    assert worker.post(FORM, {"key": "o-kinds", "name": "一", "idempotency_key": key}).status_code == 302
    resp = worker.post(FORM, {"key": "o-kinds", "name": "二", "idempotency_key": key})
    assert resp.status_code == 422
    assert "已经提交过" in resp.content.decode()
    assert CodeTable.objects.get(key="o-kinds").name == "一"


def test_a_form_resubmitted_while_in_flight_gets_409(worker, world):
    key = form_key(worker, FORM)
    data = {"key": "p-kinds", "name": "三", "idempotency_key": key}
    fields = {k: [v] for k, v in sorted(data.items()) if k != "idempotency_key"}
    idempotency.claim(
        user=world.user(Role.GRID_WORKER),
        key=key,
        fingerprint=idempotency.fingerprint(method="POST", path=FORM, body={"fields": fields, "files": {}}),
    )
    resp = worker.post(FORM, data)
    assert resp.status_code == 409
    assert "仍在处理中" in resp.content.decode()
    assert not CodeTable.objects.filter(key="p-kinds").exists()


def test_an_invalid_form_keeps_its_key_for_the_corrected_submission(worker):
    key = form_key(worker, FORM)
    resp = worker.post(FORM, {"key": "q-kinds", "name": "", "idempotency_key": key})
    assert resp.status_code == 200
    assert f'value="{key}"' in resp.content.decode()
    assert not IdempotencyKey.objects.filter(key=key).exists()
    assert worker.post(FORM, {"key": "q-kinds", "name": "四", "idempotency_key": key}).status_code == 302
    assert IdempotencyKey.objects.get(key=key).state == IdempotencyState.DONE


# ---- a real duplicate in flight (PostgreSQL: two connections at once) -------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_real_concurrent_duplicate_gets_409_and_the_retry_gets_the_first_result(world):
    from .idempotency_urls import CodeTableCreateViewSet

    user = world.user(Role.GRID_WORKER)
    first_client, second_client = Client(), Client()
    first_client.force_login(user)
    second_client.force_login(user)
    data = {"key": "concurrent-kinds", "name": "并发"}
    entered, release = threading.Event(), threading.Event()
    original = CodeTableCreateViewSet.perform_create
    results = {}

    def slow_perform_create(self, serializer):
        entered.set()
        assert release.wait(10)
        return original(self, serializer)

    def first() -> None:
        try:
            results["first"] = post_json(first_client, data, key="same-key")
        finally:
            connection.close()

    with mock.patch.object(CodeTableCreateViewSet, "perform_create", slow_perform_create):
        thread = threading.Thread(target=first)
        thread.start()
        assert entered.wait(10)
        duplicate = post_json(second_client, data, key="same-key")
        release.set()
        thread.join(10)
    assert duplicate.status_code == 409
    assert results["first"].status_code == 201
    retry = post_json(second_client, data, key="same-key")
    assert retry.status_code == 201
    assert retry.json() == results["first"].json()
    assert CodeTable.objects.filter(key="concurrent-kinds").count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_claims_bounded_lock_wait_ends_with_the_claim(world):
    """The claim bounds its own wait for a concurrent holder of the key (one round trip); the rest of
    the transaction — the record, the audit chain's lock — waits under the setting it had before."""
    from django.db import transaction

    user = world.user(Role.GRID_WORKER)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '7s'")
        result = idempotency.claim(user=user, key="bounded-wait", fingerprint="f" * 64)
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "7s"
    assert result.outcome is idempotency.Claim.NEW
    stored = IdempotencyKey.objects.get(user=user, key="bounded-wait")
    assert stored.pk == result.record.pk
    assert stored.state == IdempotencyState.IN_FLIGHT
    # A second claim of the same key sees the first (committed, still in flight).
    with transaction.atomic():
        again = idempotency.claim(user=user, key="bounded-wait", fingerprint="f" * 64)
    assert again.outcome is idempotency.Claim.IN_FLIGHT
    # The first completes: the stored response is the record's, written through the returned record.
    idempotency.complete(result.record, status_code=201, body="{}")
    assert IdempotencyKey.objects.get(pk=result.record.pk).state == IdempotencyState.DONE


# ---- exactly once: the create and its key commit together -----------------------------------------


@pytest.mark.django_db(transaction=True)  # real commits: the crash comes right after one
def test_a_crash_between_commit_and_ack_leaves_one_record_and_the_retry_gets_the_first_result(world):
    """The process dies the instant the record's transaction commits (an on-commit hook raises), so
    the client never gets the answer. The key was stored WITH the record in that transaction, so the
    retry returns the first result at once — no 409 window, no second record. (Before, the key was
    marked done in a statement after the commit: here it would have stayed in flight.)"""
    from django.db import transaction

    from .idempotency_urls import CodeTableCreateViewSet

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.GRID_WORKER))
    data = {"key": "crash-kinds", "name": "断线"}
    original = CodeTableCreateViewSet.perform_create

    def dies_at_commit(self, serializer):
        original(self, serializer)

        def die():
            raise ConnectionResetError("process killed right after the commit")

        transaction.on_commit(die)

    with mock.patch.object(CodeTableCreateViewSet, "perform_create", dies_at_commit):
        lost = post_json(client, data, key="crash-1")
    assert lost.status_code == 500  # the client never saw the 201
    assert CodeTable.objects.filter(key="crash-kinds").count() == 1
    stored = IdempotencyKey.objects.get(key="crash-1")
    assert stored.state == IdempotencyState.DONE
    assert stored.status_code == 201
    retry = post_json(client, data, key="crash-1")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == CodeTable.objects.get(key="crash-kinds").pk
    assert CodeTable.objects.filter(key="crash-kinds").count() == 1


def test_a_crash_before_commit_leaves_neither_record_nor_key_and_the_retry_runs_at_once(world):
    from .idempotency_urls import CodeTableCreateViewSet

    client = Client(raise_request_exception=False)
    client.force_login(world.user(Role.GRID_WORKER))
    data = {"key": "half-kinds", "name": "半途"}
    original = CodeTableCreateViewSet.perform_create

    def dies_after_writing(self, serializer):
        original(self, serializer)  # the row is written …
        raise ConnectionResetError("killed")  # … and the process dies before the commit

    with mock.patch.object(CodeTableCreateViewSet, "perform_create", dies_after_writing):
        assert post_json(client, data, key="crash-2").status_code == 500
    assert not CodeTable.objects.filter(key="half-kinds").exists()
    assert not IdempotencyKey.objects.filter(key="crash-2").exists()
    retry = post_json(client, data, key="crash-2")  # immediately: no in-flight key to wait out
    assert retry.status_code == 201
    assert CodeTable.objects.filter(key="half-kinds").count() == 1


def test_a_9_mb_upload_with_a_key_is_accepted_and_replayed_without_reading_it_into_memory(worker, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, far below the photo
    payload = bytes(range(256)) * (9 * 1024 * 1024 // 256)

    def send():
        photo = SimpleUploadedFile("scene.jpg", payload, content_type="image/jpeg")
        return worker.post("/test-idem/api/uploads/", {"key": "photo-kinds", "photo": photo},
                           headers={"Idempotency-Key": "photo-1"})

    first = send()
    assert first.status_code == 201, first.content[:300]
    assert first.json()["name"] == f"scene.jpg:{len(payload)}"
    again = send()
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert CodeTable.objects.filter(key="photo-kinds").count() == 1
    # Another photo under the same key is another request.
    other = SimpleUploadedFile("scene.jpg", payload[:-1] + b"x", content_type="image/jpeg")
    resp = worker.post("/test-idem/api/uploads/", {"key": "photo-kinds", "photo": other},
                       headers={"Idempotency-Key": "photo-1"})
    assert resp.status_code == 422

