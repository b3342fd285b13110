"""The admin speaks Chinese: django-otp's English names (core/otp_app.py), Django's admin strings its
zh_Hans catalogue lacks (anmin/locale/zh_Hans), and our own help texts."""

from __future__ import annotations

import gettext

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from anmin.core.models import Role

from .test_i18n import PACKAGE, parse_po

ZH_HANS = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_totp_device_list_is_chinese(client, world):
    # (the device is the auditor's: one of the administrator's own would ask them for a code first)
    TOTPDevice.objects.create(user=world.user(Role.AUDITOR), name="办公电脑", confirmed=True)
    client.force_login(world.user(Role.SYSADMIN))
    html = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "动态口令" in html
    for chinese in ("双因素认证", "TOTP 动态口令设备", "用户", "名称", "已确认", "最近使用时间"):
        assert chinese in html, chinese
    for english in ("TOTP devices", "TOTP device", "Otp_Totp", ">User<", ">Name<", ">Confirmed<", "Last used at"):
        assert english not in html, english
    device = TOTPDevice.objects.get()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert "绑定此设备的用户" in page
    assert "The user that this device belongs to" not in page


def test_the_admin_index_and_the_region_form_are_chinese(client, world):
    client.force_login(world.user(Role.SYSADMIN))
    index = client.get("/admin/").content.decode()
    for chinese in ("双因素认证", "模型名称", "新增链接", "修改或查看列表链接"):
        assert chinese in index, chinese
    for english in ("Otp_Totp", "Model name", "Add link", "Change or view list link"):
        assert english not in index, english
    form = client.get("/admin/core/region/add/").content.decode()
    assert "city（市）" in form
    assert "city / town / subdistrict" not in form


def test_the_admin_is_english_in_english(client, world):
    client.force_login(world.user(Role.SYSADMIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/admin/").content.decode()
    assert "Two-factor authentication" in html
    assert "TOTP device" in html
    assert "双因素认证" not in html


def test_the_zh_hans_catalogue_is_translated_and_compiled():
    """Kept by hand (`make messages` compiles it): every entry has a Chinese text and the .mo is current."""
    entries = parse_po(ZH_HANS / "django.po")
    assert entries
    assert all(e["msgstr"].strip() for e in entries)
    with (ZH_HANS / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    assert all(compiled.get(e["msgid"]) == e["msgstr"] for e in entries), "run `make messages`"


def test_the_admin_pickers_name_places_and_search_them(client, world):
    """Region and unit fields are autocomplete pickers (no raw codes to type) whose results name the
    place in full, found by the names of the places above it."""
    from django.contrib import admin as django_admin

    from anmin.core.models import OrgUnit, Region, User

    for model, fields in ((User, ("org_unit", "grids")), (OrgUnit, ("region", "parent")), (Region, ("parent",))):
        model_admin = django_admin.site._registry[model]
        assert set(fields) <= set(model_admin.autocomplete_fields), model
        assert not set(fields) & set(model_admin.raw_id_fields), model
    client.force_login(world.user(Role.SYSADMIN))
    worker = world.users[Role.GRID_WORKER]
    page = client.get(f"/admin/core/user/{worker.pk}/change/").content.decode()
    assert "古城镇 / 古城村委会 / 第1网格" in page  # the worker's grid, named in full in its picker
    resp = client.get("/admin/autocomplete/", {"app_label": "core", "model_name": "user", "field_name": "grids",
                                               "term": "无梁 第1"})
    texts = [r["text"] for r in resp.json()["results"]]
    assert texts == ["无梁镇 / 无梁村委会 / 第1网格"]


def test_the_admin_user_pages_and_role_permissions_are_chinese(client, world):
    client.force_login(world.user(Role.SYSADMIN))
    add = client.get("/admin/core/user/add/").content.decode()
    assert "After you" not in add
    assert "创建用户后" in add
    worker = world.users[Role.GRID_WORKER]
    password = client.get(f"/admin/core/user/{worker.pk}/password/").content.decode()
    assert "If disabled" not in password
    role = Role.objects.get(code=Role.TOWNSHIP_CENTER)
    page = client.get(f"/admin/core/role/{role.pk}/change/").content.decode()
    assert "Can add" not in page
    assert "Can view" not in page
    assert "Tasks Database Backend" not in page
    assert "基础平台 | 用户 | 查看用户" in page
    assert "管理本辖区账号" in page


def test_only_the_system_administrator_enters_the_admin(client, world):
    from anmin.core.models import User

    centre = world.user(Role.TOWNSHIP_CENTER)
    User.objects.filter(pk=centre.pk).update(is_staff=True)  # marked staff by mistake
    client.force_login(User.objects.get(pk=centre.pk))
    assert client.get("/admin/").status_code == 302  # to the admin's login: not for this account
    client.force_login(world.user(Role.SYSADMIN))
    assert client.get("/admin/").status_code == 200


def test_an_admin_change_page_offers_no_view_on_site_link_that_would_404(client, world):
    """The 系统管理员 has no business scope: the site's org and region pages are 404 for them, so the admin
    offers no "在站点上查看" link to them."""
    client.force_login(world.user(Role.SYSADMIN))
    org = world.orgs["gc_center"] if "gc_center" in world.orgs else next(iter(world.orgs.values()))
    page = client.get(f"/admin/core/orgunit/{org.pk}/change/")
    assert page.status_code == 200
    assert "/admin/r/" not in page.content.decode()
