"""Reporting a grid event (actions): where, what, who, photos without metadata, errors that name the field."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anmin.core.codes import code_names
from anmin.core.models import AuditEntry, CodeItem, Role
from anmin.grid import actions
from anmin.grid.models import EventPhoto, GridEvent

from .conftest import jpeg_with_gps, png_bytes

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 12, 9, 10, 30, tzinfo=TZ)


def report(world, role=Role.GRID_WORKER, **kwargs) -> GridEvent:
    kwargs.setdefault("region", world.gc_grid)
    kwargs.setdefault("category", "04")
    kwargs.setdefault("description", "村道两侧垃圾堆放，已三天未清运")
    return actions.report_event(actor=world.user(role), now=NOW, **kwargs)


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def field_errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_a_grid_worker_reports_an_event_that_waits_at_the_township_centre(world):
    event = report(world, address="古城村三组", latitude="34.140512", longitude="113.490231")
    case = event.case
    assert case.kind == "WG"
    assert case.number == "WG-2020-000001"
    assert case.status == "reported"
    assert case.center_org == world.orgs["gc_center"]  # the township centre takes grid events in
    assert case.reporter == world.user(Role.GRID_WORKER)
    assert case.region == world.gc_grid
    assert case.title == "环境卫生：村道两侧垃圾堆放，已三天未清运"
    assert case.due_at is not None
    assert event.category_label == "环境卫生"
    assert str(event.latitude) == "34.140512"
    assert case.events.get().label == "上报"
    entry = AuditEntry.objects.filter(object_type="grid.gridevent", object_id=str(event.pk)).get()
    assert entry.after["number"] == case.number


def test_a_grid_worker_reports_only_in_their_own_grids(world):
    with pytest.raises(ValidationError) as exc:
        report(world, region=world.gc_grid2)
    assert "不在您负责的网格" in field_errors(exc)["region"][0]
    with pytest.raises(ValidationError) as exc:
        report(world, region=world.wl_grid)
    assert "region" in field_errors(exc)


def test_a_township_centre_reports_anywhere_in_its_township_but_not_next_door(world):
    assert report(world, Role.TOWNSHIP_CENTER, region=world.gc_grid2).case.region == world.gc_grid2
    with pytest.raises(ValidationError) as exc:
        report(world, Role.TOWNSHIP_CENTER, region=world.wl_village)
    assert "region" in field_errors(exc)


def test_a_role_without_the_add_permission_cannot_report(world):
    with pytest.raises(PermissionDenied):
        report(world, Role.DEPT_HANDLER)
    with pytest.raises(PermissionDenied):
        report(world, Role.LEADER)


def test_the_category_comes_from_the_configurable_table(world):
    with pytest.raises(ValidationError) as exc:
        report(world, category="42")
    assert field_errors(exc)["category"] == ["「事件类别」42 不在网格事件类别表中"]
    # An administrator switches a category off: it can no longer be chosen.
    CodeItem.objects.filter(table__key="grid_event_category", code="05").update(is_active=False)
    code_names.cache_clear()
    with pytest.raises(ValidationError):
        report(world, category="05")
    CodeItem.objects.filter(table__key="grid_event_category", code="05").update(name="城市管理", is_active=True)
    code_names.cache_clear()
    assert report(world, category="05").category_label == "城市管理"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"description": "  "}, "description", "「情况描述」为必填项"),
    ({"latitude": "34.1"}, "longitude", "「经度」和「纬度」须同时填写，或都不填"),
    ({"latitude": "95", "longitude": "113.4"}, "latitude", "「纬度」须在 -90 到 90 之间"),
    ({"latitude": "北纬34", "longitude": "113.4"}, "latitude", "「纬度」须为数字（十进制度，如 34.1405）"),
    ({"priority": "asap"}, "priority", "「紧急程度」须为 紧急、一般、疑难复杂 之一"),
    ({"found_at": NOW + timedelta(hours=2)}, "found_at", "「发现时间」不能晚于现在"),
    ({"address": "东" * 201}, "address", "「详细地址」不能超过 200 字"),
    ({"resident_phone": "12345"}, "resident_phone", None),
    ({"resident_phone": "13812345678"}, "resident_name", "填写了「反映群众联系电话」须同时填写「反映群众姓名」"),
])
def test_bad_input_names_the_field_and_the_rule(world, fields, field, message):
    with pytest.raises(ValidationError) as exc:
        report(world, **fields)
    errors = field_errors(exc)
    assert field in errors, errors
    if message:
        assert errors[field] == [message]
    else:
        assert "反映群众联系电话" in errors[field][0]
    assert not GridEvent.objects.exists()


def test_reported_on_behalf_of_a_resident_the_phone_is_encrypted_and_shown_masked(world):
    event = report(world, source="resident", resident_name="王秀英", resident_phone="138 1234 5678")
    event = GridEvent.objects.get(pk=event.pk)
    assert event.resident_name == "王秀英"
    assert str(event.resident_phone) == "138****5678"
    assert event.resident_phone.reveal() == "13812345678"
    assert event.case.reporter_name == "王秀英"
    raw = GridEvent.objects.filter(pk=event.pk).values_list("resident_phone", flat=True).get()
    assert "13812345678" not in str(raw)
    entry = AuditEntry.objects.filter(object_type="grid.gridevent").get()
    assert "13812345678" not in str(entry.after)


def test_a_jpeg_with_gps_exif_comes_back_without_it(world, photo_storage):
    original = jpeg_with_gps(640, 480)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture really has GPS
    event = report(world, photos=[upload(original, "IMG_20201209_101112.jpg")])
    photo = event.photos.get()
    assert event.photo_count == 1
    assert (photo.width, photo.height) == (640, 480)
    assert photo.content_type == "image/jpeg"
    with photo.file.open("rb") as f:
        stored = f.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"PhoneMaker" not in stored
    assert b"Exif\x00\x00" not in stored
    # Stored under a random name in the upload storage, not under the web root nor the original name.
    assert "IMG_2020" not in photo.file.name
    assert (photo_storage / photo.file.name).exists()
    assert hashlib.sha256(stored).hexdigest() == photo.sha256


def test_a_photo_taken_sideways_is_turned_upright(world):
    image = Image.new("RGB", (60, 40), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    photo = report(world, photos=[upload(out.getvalue())]).photos.get()
    assert (photo.width, photo.height) == (40, 60)


def test_png_and_large_photos_are_reencoded_as_jpeg_within_the_size_limit(world, settings):
    settings.ANMIN_PHOTO_MAX_SIDE = 100
    big = io.BytesIO()
    Image.new("RGB", (400, 200), (1, 2, 3)).save(big, format="JPEG")
    event = report(world, photos=[upload(png_bytes(), "a.png", "image/png"), upload(big.getvalue())])
    photos = list(event.photos.order_by("pk"))
    assert [p.content_type for p in photos] == ["image/jpeg", "image/jpeg"]
    assert (photos[1].width, photos[1].height) == (100, 50)


@pytest.mark.parametrize(("files", "message"), [
    ([upload(b"%PDF-1.4 not an image", "scan.pdf", "application/pdf")], "第1张照片：不是可识别的图片文件"),
    ([upload(jpeg_with_gps()), upload(b"GIF89a....", "x.gif", "image/gif")], "第2张照片："),
    ([upload(jpeg_with_gps()) for _ in range(7)], "「现场照片」最多 6 张"),
])
def test_files_that_are_not_photos_or_too_many_are_refused(world, files, message):
    with pytest.raises(ValidationError) as exc:
        report(world, photos=files)
    assert message in field_errors(exc)["photos"][0]
    assert not GridEvent.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(world, settings):
    settings.ANMIN_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        report(world, photos=[upload(jpeg_with_gps(400, 400))])
    assert "文件大小不能超过" in field_errors(exc)["photos"][0]


def test_when_the_report_fails_no_photo_file_is_left_behind(world, photo_storage, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(actions.audit, "record", fail)
    with pytest.raises(RuntimeError):
        report(world, photos=[upload(jpeg_with_gps())])
    assert not GridEvent.objects.exists()
    assert not EventPhoto.objects.exists()
    assert not [p for p in photo_storage.rglob("*") if p.is_file()]


def test_a_reported_event_is_written_through_the_kept_insert_with_what_its_save_adds():
    """The report writes its detail row by ``bulkcopy.insert``: the classes whose ``save`` adds work
    (the protected values' mixin, the case detail's township copy) each name that work for it."""
    from anmin.core.bulkcopy import _insert_hooks
    from anmin.workflow.models import CaseDetail

    hooks = _insert_hooks(GridEvent)
    assert hooks is not None
    assert CaseDetail.before_insert in hooks
