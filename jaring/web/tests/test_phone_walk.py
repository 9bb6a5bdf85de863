"""Acceptance on a fresh `make run`-like server (migrate, demo, serve with collected static files): every page
reachable from the menu, for every demo role, on a 360×740 phone; axe-core on the key pages; page weights as
sent compressed; every money breakdown adds up.

The server runs in a subprocess on its own SQLite file and static folder (what a person gets from `make run`),
so the static files are the hashed, gzip/brotli files that production serves.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .phone_walk import DEMO_ROLES, VIEWPORT, check_page, login, walk

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGE_LIMIT = 200 * 1024        # first load of any page, compressed
DASHBOARD_LIMIT = 450 * 1024   # the manager dashboard, charts included


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{root / 'demo.sqlite3'}",
           "JARING_STATIC_ROOT": str(root / "static"), "JARING_MEDIA_ROOT": str(root / "media"),
           "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    py = [sys.executable, "-m", "jaring"]
    for cmd in (["migrate"], ["demo"]):
        subprocess.run(py + cmd, env=env, cwd=root, check=True, capture_output=True, timeout=900)
    port = _free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(py + ["serve", "--port", str(port)], env=env, cwd=root, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 600
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("jaring serve did not start: " + (root / "serve.log").read_text()[-2000:])
        time.sleep(1)
    yield base
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_menu_page_fits_a_phone_for_every_role(demo_server, chromium, lang):
    """No horizontal overflow at 360 px, no console error, only 2xx responses, a <title>, no English tell-tale on
    an Indonesian page (nor the reverse), and every money breakdown adds up — for each demo role's menu."""
    if lang == "en":
        from django.utils import translation

        with translation.override("en"):
            if translation.gettext("Lupa kata sandi?") == "Lupa kata sandi?":
                pytest.skip("the English catalogue has no translations for the phone-first strings yet: merge "
                            "docs/i18n/phone-first.en.po into jaring/locale/en (make messages)")
    problems = []
    walked = 0
    for role in [None, *DEMO_ROLES]:
        for r in walk(chromium, demo_server, role, lang):
            walked += 1
            problems += [f"{role or 'tamu'} {r.url}: {p}" for p in r.problems]
    assert walked >= 60  # every role's menu, not a login page seven times
    assert not problems, "\n".join(problems)


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                           " return r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)"
                           ".map(n => n.target.join(' ')).join(' | ')); }")
    return result


AXE_PAGES = [
    (None, "/"), (None, "/members/daftar/"), (None, "/masuk"),
    ("peserta", "/members/kartu-saya/"), ("peserta", "/contributions/bayar/"), ("peserta", "/contributions/"),
    ("manajer", "/insights/"),
    ("agen", "/agents/"), ("agen", "/agents/tindak-lanjut/"), ("agen", "/agents/setoran/"), ("agen", "/agents/komisi/"),
]


def test_axe_finds_no_violation_on_the_key_pages(demo_server, chromium):
    problems = []
    by_role: dict = {}
    for role, path in AXE_PAGES:
        by_role.setdefault(role, []).append(path)
    for role, paths in by_role.items():
        context = chromium.new_context(viewport=VIEWPORT, locale="id-ID", is_mobile=True, has_touch=True,
                                          bypass_csp=True)  # axe is injected by the test (the CSP has its own test)
        page = context.new_page()
        if role:
            login(page, demo_server, role)
        for path in paths:
            page.goto(demo_server + path, wait_until="load")
            problems += [f"{role or 'tamu'} {path}: {v}" for v in _axe(page)]
        context.close()
    assert not problems, "\n".join(problems)


def _first_load_bytes(chromium, base: str, url: str, storage_state) -> int:
    """Bytes on the wire (headers + compressed bodies) for one page with an empty cache, scrolled to the end."""
    context = chromium.new_context(viewport=VIEWPORT, locale="id-ID", is_mobile=True, storage_state=storage_state)
    page = context.new_page()
    done = []
    page.on("requestfinished", lambda r: done.append(r))
    page.goto(url, wait_until="load")
    page.evaluate("() => new Promise(r => { let y = 0; const step = () => { window.scrollTo(0, y += 500);"
                  " if (y < document.body.scrollHeight) setTimeout(step, 50); else r(); }; step(); })")
    try:
        page.wait_for_load_state("networkidle", timeout=15000)
    except Exception:  # noqa: BLE001
        pass
    total = 0
    for r in done:
        s = r.sizes()
        total += s["responseBodySize"] + s["responseHeadersSize"]
    context.close()
    return total


def test_first_load_weights(demo_server, chromium):
    """Any page ≤ 200 KB compressed on first load; the dashboard (charts included) ≤ 450 KB."""
    over = []
    weights = {}
    for role in [None, "peserta", "agen", "manajer"]:
        context = chromium.new_context(viewport=VIEWPORT)
        page = context.new_page()
        if role:
            login(page, demo_server, role)
        page.goto(demo_server + ("/beranda" if role else "/"))
        hrefs = page.eval_on_selector_all("details.menu a[data-nav]", "els => els.map(e => e.href)")
        state = context.storage_state()
        context.close()
        for url in [demo_server + ("/beranda" if role else "/"), *hrefs]:
            n = _first_load_bytes(chromium, demo_server, url, state)
            weights[url] = n
            limit = DASHBOARD_LIMIT if "/insights/" in url and url.rstrip("/").endswith("insights") else PAGE_LIMIT
            if n > limit:
                over.append(f"{role or 'tamu'} {url}: {n / 1024:.1f} KB > {limit // 1024} KB")
    dashboard = [n for u, n in weights.items() if u.rstrip("/").endswith("/insights")]
    assert dashboard and dashboard[0] > 100 * 1024  # the charts were loaded (scrolled into view) and counted
    assert not over, "\n".join(over)


def test_static_files_are_hashed_compressed_and_cached_a_year(demo_server):
    html = urllib.request.urlopen(demo_server + "/").read().decode()
    import re

    css = re.search(r'href="(/static/vendor/pico\.min\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet has a hashed name"
    for enc in ("br", "gzip"):
        req = urllib.request.Request(demo_server + css.group(1), headers={"Accept-Encoding": enc})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Encoding"] == enc
            assert "max-age=31536000" in r.headers["Cache-Control"]
            body = r.read()
        assert len(body) < 20_000  # 83 KB of CSS goes out as ~10-12 KB
    assert "echarts" not in html


def test_receipt_and_pay_page_fit_the_phone(demo_server, chromium):
    """Pages one step below the menu that the issue names: a receipt, the pay page, the card."""
    context = chromium.new_context(viewport=VIEWPORT, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, demo_server, "peserta")
    page.goto(demo_server + "/contributions/")
    receipts = page.eval_on_selector_all("a[href*='/kuitansi/']", "els => els.map(e => e.href)")
    page.close()
    urls = [u for u in receipts if not u.endswith(".pdf")][:2] + [demo_server + "/contributions/bayar/?bulan=3",
                                                                 demo_server + "/contributions/riwayat/"]
    assert len(urls) >= 3
    problems = []
    for u in urls:
        r = check_page(context, u)
        problems += [f"{u}: {p}" for p in r.problems]
    context.close()
    assert not problems, "\n".join(problems)
