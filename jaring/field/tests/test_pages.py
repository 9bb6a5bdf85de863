"""The field app's pages: the shell for agents and officers, its service worker, manifest and menu link."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from jaring.agents.tests.helpers import make_agent
from jaring.field.views import ASSETS

pytestmark = pytest.mark.django_db


def test_shell_for_agents_and_officers_only(client, make_user):
    anon = client.get("/lapangan/")
    assert anon.status_code == 302 and anon["Location"].startswith("/masuk")
    worker = Client()
    worker.force_login(make_user("warga", "worker", None))
    assert worker.get("/lapangan/").status_code == 403
    for user in (make_agent().user, make_user("petugas", "officer", "KC-6371")):
        c = Client()
        c.force_login(user)
        page = c.get("/lapangan/")
        assert page.status_code == 200
        html = page.content.decode()
        # the API's field names, so tests and partners can rely on them
        for name in ("nik", "name", "birth_date", "gender", "phone", "village_code", "occupation", "sector",
                     "income", "programs"):
            assert f'name="{name}"' in html
        assert "<script>" not in html  # no inline script (only JSON data blocks and the static app.js)
        assert 'href="/lapangan/manifest.webmanifest"' in html
        home = c.get("/beranda").content.decode()
        assert 'href="/lapangan/"' in home  # linked from the agent's and the officer's menu


def test_service_worker_and_manifest(client):
    sw = client.get("/lapangan/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    assert sw["Service-Worker-Allowed"] == "/lapangan/"
    body = sw.content.decode()
    assert '"/static/field/app.js"' in body and 'const SHELL = "/lapangan/"' in body
    manifest = client.get("/lapangan/manifest.webmanifest").json()
    assert manifest["start_url"] == manifest["scope"] == "/lapangan/" and manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        with open(finders.find(icon["src"].removeprefix("/static/")), "rb") as f:
            head = f.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        assert f"{w}x{h}" == icon["sizes"]


def test_first_load_compressed_is_under_150_kb():
    """Everything a phone downloads to open the app the first time (the page with the agent's rules and area —
    Kota Banjarmasin, 52 villages —, script, style, service worker, manifest, icons),
    gzip-compressed as WhiteNoise serves it: well under the 150 KB budget of a weak connection."""
    agent = make_agent()
    c = Client()
    c.force_login(agent.user)
    sizes = {"/lapangan/": len(gzip.compress(c.get("/lapangan/").content, 9)),
             "/lapangan/sw.js": len(gzip.compress(c.get("/lapangan/sw.js").content, 9)),
             "/lapangan/manifest.webmanifest": len(gzip.compress(c.get("/lapangan/manifest.webmanifest").content, 9))}
    for asset in ASSETS:
        with open(finders.find(asset), "rb") as f:
            raw = f.read()
        sizes[asset] = len(raw) if asset.endswith(".png") else len(gzip.compress(raw, 9))
    total = sum(sizes.values())
    print("first load, compressed:", total, sizes)
    assert total < 150 * 1024, sizes
    assert sizes["field/app.js"] < 20 * 1024
