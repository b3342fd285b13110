"""The 统计分析 page's time to usable on a slow phone link (decision 0028: the chart library's size).
Not a unit test and not part of `make bench`: it prints figures, it asserts nothing.

    .venv/bin/python -m bench.charts_throttled http://127.0.0.1:PORT [--runs 5] [--user pingan]

Against a served demo (`ANMIN_ENV=demo anmin demo --no-serve`, then `anmin serve --no-worker`): the
demo serves the apps' static files as they are, gzipped by CompressTextMiddleware. Debian's chromium
through Playwright at a phone's size, a fresh context each run (cold HTTP cache, service worker
blocked), signed in at full speed, then Chromium's throttling (CDP ``Network.emulateNetworkConditions``:
400 kbit/s down and up, 400 ms latency) and ``/analytics/?year=2020``. *Usable*: every chart box
(``[data-chart]``) has its canvas with ink, read from the page every 50 ms over CDP (not throttled) in
the page's own clock (``performance.now()``, from the navigation's start). Also DOMContentLoaded,
``load``, the bytes on the wire and the chart library's own (transfer, decoded, when it arrived).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

CHROMIUM = os.environ.get("ANMIN_CHROMIUM", "/usr/bin/chromium")
LINK = {"offline": False, "latency": 400, "downloadThroughput": 400e3 / 8, "uploadThroughput": 400e3 / 8}
DRAWN = """() => { const boxes = document.querySelectorAll('[data-chart]'); if (!boxes.length) { return null; }
  for (const b of boxes) { const c = b.querySelector('canvas'); if (!c) { return null; }
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let ink = 0;
    for (let i = 3; i < d.length; i += 4) { if (d[i]) { ink++; break; } } if (!ink) { return null; } }
  return performance.now(); }"""
METRICS = """() => { const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const e = res.find(r => r.name.includes('echarts'));
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          bytes: nav.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0),
          echarts: e ? {url: new URL(e.name).pathname, transfer: e.transferSize, decoded: e.decodedBodySize,
                        end: e.responseEnd} : null}; }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the served demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="pingan")
    parser.add_argument("--password", default="Anmin@2020")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    samples = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                           "--disable-background-networking"])
        for _ in range(args.runs):
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                          has_touch=True, device_scale_factor=2, service_workers="block")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            page.goto(f"{args.base}/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{args.base}/")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", LINK)
            page.goto(f"{args.base}/analytics/?year=2020", wait_until="commit")
            usable = None
            for _ in range(1200):  # a minute at most
                usable = page.evaluate(DRAWN)
                if usable:
                    break
                page.wait_for_timeout(50)
            page.wait_for_load_state("load")
            sample = {**page.evaluate(METRICS), "usable": usable}
            samples.append(sample)
            print(json.dumps(sample), flush=True)
            context.close()
        browser.close()
    print("median (ms, bytes):", {k: round(statistics.median(s[k] for s in samples if s[k] is not None))
                                  for k in ("usable", "dcl", "load", "bytes")})


if __name__ == "__main__":
    main()
