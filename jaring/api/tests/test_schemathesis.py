"""schemathesis `--checks all` over the whole API schema with an admin token: 0 failures, 0 errors.

A real server (`jaring serve`) on a fresh SQLite database, the pinned schemathesis CLI with the
project's schemathesis.toml, a fixed seed and a bounded number of examples per operation (a few
minutes in all). Runs once, on SQLite (skipped in the PostgreSQL pass of CI).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = os.environ.get("JARING_SCHEMATHESIS_EXAMPLES", "20")
SEED = os.environ.get("JARING_SCHEMATHESIS_SEED", "20261126")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "sqlite").startswith("postgres"),
                    reason="runs once per CI, on SQLite")
def test_schemathesis_all_checks_pass(tmp_path):
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    assert st, "schemathesis is missing: pip install -e '.[test]'"
    jaring = [sys.executable, "-m", "jaring"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JARING_", "DJANGO_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path}/api.sqlite3", "JARING_LOG_LEVEL": "ERROR"})

    def run(*args, **kw):
        return subprocess.run([*jaring, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
                              **kw)

    run("migrate", timeout=600)
    run("users", "create", "--username", "st-admin", "--password", "Schemathesis-2026!", "--role", "admin")
    token = json.loads(run("tokens", "create", "--username", "st-admin").stdout)["token"]
    port = _free_port()
    server = subprocess.Popen([*jaring, "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        out = subprocess.run(
            [st, "--no-color", "--config-file", str(ROOT / "schemathesis.toml"), "run",
             f"{base}/api/v1/openapi.json", "--checks", "all", "-H", f"Authorization: Bearer {token}",
             "--max-examples", EXAMPLES, "--seed", SEED, "--workers", "2", "--request-timeout", "30"],
            cwd=tmp_path, env={**os.environ, "SCHEMATHESIS_HOOKS": ""}, capture_output=True, text=True, timeout=900)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = out.stdout[-20000:] + out.stderr[-5000:]
    assert out.returncode == 0, report
    summary = report[report.find("SUMMARY"):]
    assert "Failures:" not in summary and "Errors:" not in summary, summary
