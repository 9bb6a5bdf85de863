"""`jaring serve`: gunicorn worker processes by default (issue 20), waitress on request; /health and static
files answered by the real server."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from jaring import cli
from jaring.server import options


def test_serve_options_and_defaults(monkeypatch):
    args = cli.build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "5"])
    assert (args.host, args.port, args.workers, args.threads, args.server) == ("0.0.0.0", 9000, 5, None, "gunicorn")
    assert cli.build_parser().parse_args(["serve", "--server", "waitress"]).server == "waitress"
    opts = options("0.0.0.0", 9000, 5, 4)
    assert (opts["bind"], opts["workers"], opts["worker_class"], opts["threads"]) == ("0.0.0.0:9000", 5, "gthread", 4)
    assert opts["preload_app"] is True
    assert options("127.0.0.1", 8000, 2, 1)["worker_class"] == "sync"
    monkeypatch.setenv("JARING_WORKERS", "7")
    assert cli.default_workers() == 7
    monkeypatch.delenv("JARING_WORKERS")
    assert cli.default_workers() == (os.cpu_count() or 1) + 1


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn is Unix-only")
def test_gunicorn_serves_health_and_static_files_from_worker_processes(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "JARING_DEBUG": "0",
           "JARING_SECRET_KEY": "k" * 50, "JARING_STATIC_ROOT": str(tmp_path / "static")}
    jaring = str(Path(sys.executable).with_name("jaring"))
    proc = subprocess.Popen([jaring, "serve", "--port", str(port), "--workers", "2", "--threads", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = _get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("jaring serve did not answer /health") from None
                time.sleep(0.3)
        assert status == 200
        status, ctype, css = _get(f"http://127.0.0.1:{port}/static/admin/css/base.css")
        assert status == 200 and ctype.startswith("text/css") and len(css) > 1000
        # the master and two worker processes
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) == 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
