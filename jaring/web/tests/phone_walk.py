"""Walk every page reachable from the menu, as each demo role, on a 360×740 phone (helpers for the tests in
test_phone_walk.py; also runnable by hand against a running server:
``python -m jaring.web.tests.phone_walk http://127.0.0.1:8000``)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

DEMO_PASSWORD = "jaring-demo-2026"
DEMO_ROLES = ["peserta", "agen", "sponsor", "petugas", "kanwil", "manajer", "admin"]
VIEWPORT = {"width": 360, "height": 740}

# Tell-tale strings: English on an Indonesian page, Indonesian on an English page (whole words, visible text).
ENGLISH_ON_ID = ["the", "Please", "This field", "Submit", "Search", "Previous", "Loading", "No data", "Log out",
                 "Sign in", "Welcome", "Dashboard", "required", "Download", "Settings", "Total paid", "Page",
                 "Show", "Cancel", "Save", "Yes", "Home"]
INDONESIAN_ON_EN = ["Selamat datang", "Keluar", "Beranda", "Belum", "tidak", "dengan", "Peserta", "Iuran", "Simpan",
                    "Halaman", "Kembali", "Daftar", "Tagihan", "bulan", "Unduh", "Cari"]
# ("Masuk" is not a tell-tale: the demo campaign is called "KKBC Masuk Desa" — a name, not page text)


def telltales(text: str, lang: str) -> list[str]:
    words = ENGLISH_ON_ID if lang.startswith("id") else INDONESIAN_ON_EN
    return [w for w in words if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text)]


@dataclass
class PageReport:
    url: str
    title: str = ""
    width: int = 0
    lang: str = ""
    problems: list[str] = field(default_factory=list)
    bytes: int = 0
    breakdowns: int = 0


def login(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("load")


def menu_links(page, base: str) -> list[str]:
    """Links of the menu (and the home page's cards), same origin, no duplicates."""
    hrefs = page.eval_on_selector_all("details.menu a[href], .cards a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for h in hrefs:
        u = urljoin(base + "/", h)
        if urlsplit(u).netloc == urlsplit(base).netloc and u not in out:
            out.append(u)
    return out


def check_page(context, url: str, *, measure: bool = False) -> PageReport:
    """Open ``url`` in a new tab of ``context`` and report what a phone user would trip over."""
    page = context.new_page()
    report = PageReport(url)
    bad = []
    sizes = []
    page.on("console", lambda m: bad.append(f"console {m.type}: {m.text[:160]} ({(m.location or {}).get('url', '')})")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: bad.append(f"script error: {str(e)[:160]}"))

    def on_response(resp):
        if resp.status >= 400 or (resp.status < 200):
            bad.append(f"HTTP {resp.status} {resp.url}")
        sizes.append(resp)
    page.on("response", on_response)
    page.on("requestfailed", lambda r: bad.append(f"failed {r.url} {r.failure}"))
    resp = page.goto(url, wait_until="load")
    if resp is None or not (200 <= resp.status < 300):
        bad.append(f"document HTTP {resp.status if resp else 'none'}")
    # scroll through the page: what is shown further down (charts) loads too
    page.evaluate("() => new Promise(r => { let y = 0; const step = () => { window.scrollTo(0, y += 600);"
                  " if (y < document.body.scrollHeight) setTimeout(step, 30); else r(); }; step(); })")
    try:
        page.wait_for_load_state("networkidle", timeout=10000)
    except Exception:  # noqa: BLE001 - a page that keeps polling still gets checked
        pass
    report.title = page.title().strip()
    if not report.title or report.title in ("· Jaring",):
        bad.append("no <title>")
    report.width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    if report.width > VIEWPORT["width"]:
        wide = page.evaluate("""() => { const w = window.innerWidth; const out = [];
          for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
            if (r.right > w + 1 && r.width > 0) out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + Math.round(r.right)); }
          return out.slice(0, 5); }""")
        bad.append(f"wider than the phone: {report.width} px ({', '.join(wide)})")
    sums = page.evaluate("""() => Array.from(document.querySelectorAll('[data-breakdown]')).map(t => {
        const n = s => Number(s || 0);
        const lines = Array.from(t.querySelectorAll('[data-amount]')).reduce((a, e) => a + n(e.dataset.amount), 0);
        const off = Array.from(t.querySelectorAll('[data-discount]')).reduce((a, e) => a + n(e.dataset.discount), 0);
        const total = n((t.querySelector('[data-total]') || {dataset: {}}).dataset.total);
        return [lines, off, total]; })""")
    for lines, off, total in sums:
        if lines - off != total:
            bad.append(f"breakdown does not add up: {lines} - {off} != {total}")
    report.breakdowns = len(sums)
    report.lang = page.evaluate("() => document.documentElement.lang") or ""
    text = page.evaluate("() => document.body.innerText")
    found = telltales(text, report.lang)
    if found:
        bad.append(f"{'English' if report.lang.startswith('id') else 'Indonesian'} words on a {report.lang} page: {found}")
    if measure:
        total = 0
        for r in sizes:
            try:
                s = r.request.sizes()
                total += s["responseBodySize"] + s["responseHeadersSize"]
            except Exception:  # noqa: BLE001
                pass
        report.bytes = total
    report.problems = bad
    page.close()
    return report


def walk(browser, base: str, username: str | None, lang: str = "id", measure: bool = False) -> list[PageReport]:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    if lang == "en":
        page.goto(base + "/")
        page.click("details.menu > summary")
        page.click("button[name=language]")
        page.wait_for_load_state("load")
    if username:
        login(page, base, username)
        page.goto(base + "/beranda")
    else:
        page.goto(base + "/")
    urls = [page.url] + [u for u in menu_links(page, base) if u != page.url]
    page.close()
    reports = [check_page(context, u, measure=measure) for u in urls]
    context.close()
    return reports


if __name__ == "__main__":  # pragma: no cover - a hand tool
    from playwright.sync_api import sync_playwright

    base = sys.argv[1].rstrip("/")
    roles = sys.argv[2].split(",") if len(sys.argv) > 2 else [None, *DEMO_ROLES]
    lang = sys.argv[3] if len(sys.argv) > 3 else "id"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for role in roles:
            role = None if role in ("", "anon", None) else role
            for r in walk(browser, base, role, lang, measure=True):
                print(f"{role or 'anon':8} {r.bytes/1024:7.1f} KB {r.width:4} {r.url}")
                for p in r.problems:
                    print("          !", p)
        browser.close()
