"""A grid worker reports an event with a photo on a 360-px phone; the township centre dispatches it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from anmin.conftest import login
from anmin.core.attachments import photos
from anmin.core.models import Role
from anmin.grid.models import GridEvent

from .conftest import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px viewport"


def test_a_grid_worker_reports_with_a_photo_and_the_township_centre_dispatches(live_server, world, phone, browser,
                                                                               tmp_path):
    worker = world.user(Role.GRID_WORKER)
    login(phone, live_server, worker.username)
    phone.wait_for_selector("text=您好")
    # The menu leads to the report form.
    phone.click("label.nav-button")
    phone.locator("nav.sidemenu [data-menu=grid_report]").click()
    phone.wait_for_selector("form[data-form=grid-report]")
    fits_the_phone(phone)
    # A grid worker with one grid finds it chosen already.
    assert phone.locator("#id_region").input_value() == world.gc_grid.code
    phone.select_option("#id_category", "02")
    phone.fill("#id_description", "三组村民家中电线私拉乱接，存在火灾隐患")
    phone.fill("#id_address", "古城村三组")
    phone.set_input_files("#id_photos", files=[
        {"name": "IMG_20201209.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(800, 600)}])
    phone.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    phone.click("form[data-form=grid-report] button[type=submit]")
    phone.wait_for_selector("[data-category='02']")
    event = GridEvent.objects.get()
    number = event.case.number
    assert number in phone.inner_text("h1")
    assert phone.locator("[data-status]").inner_text() == "待受理"
    fits_the_phone(phone)
    # The photo is shown (through the scoped view) and has lost its GPS position.
    phone.wait_for_selector("img[data-photo]")
    for _ in range(50):  # until the browser has the image (polled from here: the page's CSP forbids eval)
        if phone.evaluate("document.querySelector('img[data-photo]').complete"):
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate("document.querySelector('img[data-photo]').naturalWidth") == 800
    photo = event.photos.get()
    with photo.file.open("rb") as f:
        assert not Image.open(io.BytesIO(f.read())).getexif()
    # Tapped, it opens in the browser's image view, which styles itself inline: the platform's page
    # policy blocked that (a console error per style, the photo not centred).
    errors: list[str] = []
    phone.on("console", lambda m: m.type == "error" and errors.append(m.text))
    phone.click("img[data-photo]")
    phone.wait_for_url(f"**{photo.get_absolute_url()}")
    phone.wait_for_load_state()
    assert not errors

    # The township centre, on its own phone, accepts and hands the event to the police station.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    centre = context.new_page()
    try:
        login(centre, live_server, world.user(Role.TOWNSHIP_CENTER).username)
        centre.wait_for_selector("text=您好")
        centre.goto(f"{live_server.url}/grid/")
        centre.click(f"text={number}")
        centre.wait_for_selector("[data-action=accept]")
        centre.click("[data-action=accept]")
        centre.click("form.form-page button[type=submit]")
        centre.wait_for_selector("[data-status=accepted]")
        centre.click("[data-action=assign]")
        centre.select_option("#id_target_org", str(world.orgs["gc_police"].pk))
        centre.click("form.form-page button[type=submit]")
        centre.wait_for_selector("[data-status=in_progress]")
        fits_the_phone(centre)
        centre.goto(f"{live_server.url}{event.get_absolute_url()}")
        timeline = centre.inner_text("section.timeline")
        assert "上报" in timeline
        assert "受理" in timeline
        assert "交办" in timeline
        assert "古城派出所" in timeline
        assert str(worker) in timeline
        assert str(world.user(Role.TOWNSHIP_CENTER)) in timeline
        centre.screenshot(path=str(tmp_path / "dispatched.png"), full_page=True)
    finally:
        context.close()
    event.case.refresh_from_db()
    assert (event.case.status, event.case.handling_org) == ("in_progress", world.orgs["gc_police"])


def test_a_long_unbroken_description_wraps_on_a_phone(live_server, world, phone):
    """A 情况描述 with a web address or a run of digits in it widened a phone's page to 693 px (the phone
    then zooms the whole page out); it breaks inside the column instead."""
    from anmin.core.codes import load_code_tables
    from anmin.grid import actions as grid_actions

    load_code_tables()
    long_run = "https://example.com/" + "a" * 80 + " 电话" + "13812345678" * 6
    event = grid_actions.report_event(actor=world.user(Role.GRID_WORKER), region=world.gc_grid, category="01",
                                      description=f"群众反映{long_run}")
    login(phone, live_server, world.user(Role.GRID_WORKER).username)
    phone.goto(live_server.url + event.get_absolute_url())
    phone.wait_for_selector("p.description")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_report_on_its_way_says_so_and_a_second_tap_does_not_post_it_again(live_server, world, phone):
    """On a slow link a report with a photo took a minute to go and the page showed nothing: a second tap
    on 上报 posted it again, its upload started from nothing."""
    login(phone, live_server, world.user(Role.GRID_WORKER).username)
    phone.goto(f"{live_server.url}/grid/report/")
    phone.select_option("#id_category", "02")
    phone.fill("#id_description", "三组村民家中电线私拉乱接，存在火灾隐患")
    phone.set_input_files("#id_photos", files=[
        {"name": "IMG_20201209.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(800, 600)}])
    posts: list[str] = []
    phone.on("request", lambda r: r.method == "POST" and "/grid/report/" in r.url and posts.append(r.url))
    cdp = phone.context.new_cdp_session(phone)  # a slow link: the photo takes a while to go
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 300, "downloadThroughput": 50_000,
                                                  "uploadThroughput": 8_000})
    said = phone.eval_on_selector("form[data-form=grid-report] button[type=submit]", """b => {
        b.click();
        const word = b.textContent + "|" + b.getAttribute("aria-busy");
        setTimeout(() => b.click(), 300);  // the impatient second tap
        return word; }""")
    assert said == "正在提交，请稍候…|true"
    phone.wait_for_selector("[data-category='02']", timeout=30000)
    assert len(posts) == 1, posts
    assert GridEvent.objects.count() == 1


def _camera_photo(width: int, height: int) -> bytes:
    """A 12-megapixel phone photo's weight: detail everywhere (noise), as a camera's JPEG."""
    image = Image.merge("RGB", [Image.effect_noise((width, height), 8 + 3 * i) for i in range(3)])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_a_phone_photo_is_scaled_before_it_is_sent_and_the_report_waits_for_it(live_server, world, phone,
                                                                                 monkeypatch):
    """A phone's photo went as taken (3–4 MB, a minute at 400 kbps) though the server keeps 2,048 px of
    it at most: it is scaled in the browser first, and a report sent at once waits for that."""
    login(phone, live_server, world.user(Role.GRID_WORKER).username)
    phone.goto(f"{live_server.url}/grid/report/")
    phone.select_option("#id_category", "02")
    phone.fill("#id_description", "三组村民家中电线私拉乱接，存在火灾隐患")
    taken = _camera_photo(4000, 3000)
    sent: list[int] = []  # the bytes of each photo the server received (the live server is this process)
    received = photos.reencode_image
    monkeypatch.setattr(photos, "reencode_image", lambda raw, **kw: sent.append(len(raw)) or received(raw, **kw))
    phone.set_input_files("#id_photos", files=[{"name": "IMG_20201209.jpg", "mimeType": "image/jpeg",
                                                "buffer": taken}])
    phone.click("form[data-form=grid-report] button[type=submit]")  # at once, while it is being scaled
    phone.wait_for_selector("[data-category='02']", timeout=30000)
    assert len(sent) == 1
    assert 0 < sent[0] < len(taken) / 3, (sent, len(taken))
    with GridEvent.objects.get().photos.get().file.open("rb") as f:
        assert max(Image.open(io.BytesIO(f.read())).size) == 2048
    # chosen again, and left to finish: the form holds a JPEG of 2,048 px, a tenth of what was taken
    phone.goto(f"{live_server.url}/grid/report/")
    phone.set_input_files("#id_photos", files=[{"name": "IMG_20201210.png", "mimeType": "image/jpeg",
                                                "buffer": taken}])
    phone.wait_for_function("() => { const i = document.querySelector('#id_photos');"
                            " return !i.hasAttribute('data-scaling') && i.files[0].name.endsWith('.jpg'); }")
    assert phone.evaluate("document.querySelector('#id_photos').files[0].size") < len(taken) / 3
