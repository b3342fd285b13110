"""First screen on a throttled mobile network (issue 17: "first screen in under 2 s on a throttled 3G
profile"). Not a unit test: it prints and saves figures, it asserts nothing about time.

    .venv/bin/python -m bench.firstscreen [--runs 5] [--app-root <another checkout>]

A throw-away SQLite database with the test world (one user per role), static files collected as in
production (hashed, compressed, WhiteNoise's caching: bench/firstscreen_settings.py), gunicorn with two
workers on 127.0.0.1, Debian's chromium through Playwright at phone width. Chromium's own throttling
(CDP ``Network.emulateNetworkConditions``) under two profiles:

- ``lighthouse``: Lighthouse's mobile profile (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up);
- ``fast3g``: DevTools' "Fast 3G" (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up).

Three screens, each the median of ``--runs`` loads in a fresh browser context:

- ``login-cold``: the sign-in page with nothing cached (a phone's first visit);
- ``home-cold``: the grid worker's home signed in, with the HTTP cache off (every file fetched);
- ``home``: the grid worker's home right after signing in (what the sign-in page loaded is cached, as
  on a phone; the service worker bypassed: DevTools' throttling does not reach its fetches).

Per screen: first contentful paint (``fcp``: what the worker sees first), DOMContentLoaded (``dcl``:
the deferred scripts have run), ``load``, the requests and the bytes on the wire. Saved as JSON under
var/bench/firstscreen-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = {
    "lighthouse": {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
    "fast3g": {"latency": 562.5, "downloadThroughput": 1.44e6 / 8, "uploadThroughput": 675e3 / 8},
}
CHROMIUM = os.environ.get("ANMIN_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Anmin@2020"  # the test world's

WORLD = """
from anmin.core.tests.factories import build_world
from anmin.core.models import Role
w = build_world()
print(w.users[Role.GRID_WORKER].username)
"""

METRICS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const res = performance.getEntriesByType('resource');
  return {fcp: paint ? paint.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          requests: 1 + res.length,
          bytes: nav.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0),
          blocking: res.filter(r => r.renderBlockingStatus === 'blocking').map(r => new URL(r.name).pathname),
          resources: res.map(r => [new URL(r.name).pathname, Math.round(r.startTime), Math.round(r.responseEnd),
                                   r.transferSize, r.initiatorType])};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(app_root: Path, tmp: Path) -> tuple[dict, str]:
    # The settings as a top-level module of the temporary directory (the served checkout's own bench/
    # package may not have them: a "before").
    shutil.copy(ROOT / "bench" / "firstscreen_settings.py", tmp / "firstscreen_settings.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "firstscreen_settings",
           "FIRSTSCREEN_STATIC_ROOT": str(tmp / "static"), "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
           "ANMIN_VAR_DIR": str(tmp / "var"), "PYTHONPATH": f"{app_root}{os.pathsep}{tmp}",
           "ANMIN_DEMO_RELAXED": "0"}
    env.pop("ANMIN_ENV", None)
    py = sys.executable

    def run(*args, **kw):
        return subprocess.run([py, *args], cwd=app_root, env=env, check=True, capture_output=True, text=True, **kw)

    run("manage.py", "migrate", "--noinput")
    run("manage.py", "collectstatic", "--noinput")
    username = run("manage.py", "shell", "-c", WORLD).stdout.strip().splitlines()[-1]
    return env, username


def measure(browser, base: str, username: str, profile: dict, runs: int) -> dict:
    out: dict[str, list[dict]] = {"login-cold": [], "home-cold": [], "home": []}
    for _ in range(runs):
        for screen in out:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                          is_mobile=True, has_touch=True, service_workers="block")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            if screen != "login-cold":  # signed in at full speed first
                page.goto(f"{base}/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": screen == "home-cold"})
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
            page.goto(f"{base}/login/" if screen == "login-cold" else f"{base}/", wait_until="load")
            page.wait_for_timeout(50)
            out[screen].append(page.evaluate(METRICS))
            context.close()
    summary = {}
    for screen, samples in out.items():
        summary[screen] = {k: round(statistics.median(s[k] for s in samples))
                           for k in ("fcp", "dcl", "load", "requests", "bytes")}
        summary[screen]["blocking"] = samples[-1]["blocking"]
        summary[screen]["resources"] = samples[-1]["resources"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--detail", action="store_true", help="print each screen's requests (the last run)")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the checkout to serve (a before/after)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="anmin-firstscreen-"))
    server = None
    try:
        env, username = prepare(args.app_root.resolve(), tmp)
        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "anmin.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
             "--log-level", "warning"], cwd=args.app_root, env=env, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        results = {"app_root": str(args.app_root), "runs": args.runs, "profiles": {}}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
            for name, profile in PROFILES.items():
                results["profiles"][name] = measure(browser, base, username, profile, args.runs)
            browser.close()
        for name, screens in results["profiles"].items():
            for screen, m in screens.items():
                print(f"{name:10} {screen:10} fcp {m['fcp']:5} ms  dcl {m['dcl']:5} ms  load {m['load']:5} ms  "
                      f"{m['requests']:2} requests  {m['bytes'] / 1024:6.1f} KiB  blocking: {', '.join(m['blocking'])}")
                if args.detail:
                    for path, start, end, size, kind in m["resources"]:
                        print(f"{'':22}{start:5}–{end:5} ms {size:7} B  {kind:6} {path}")
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"firstscreen-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(f"saved {path.relative_to(ROOT)}")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
