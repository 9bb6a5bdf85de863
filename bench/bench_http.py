"""Registration and payment notifications over real HTTP, next to /health measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/bench_http.py
    ... bench/bench_http.py --server waitress            # the single-process server, for comparison
    ... bench/bench_http.py --server gunicorn --workers 3

Starts the production server (``jaring serve``, JARING_DEBUG=0) on a free port against DATABASE_URL and
drives it with wrk (``apt-get install -y wrk``): ``GET /health`` (the floor: middleware, no database),
``POST /api/v1/members`` (a branch registration by a manager's Bearer token, every request a new valid
NIK) and ``POST /api/v1/payments/notifications`` (HMAC-signed, every request a new reference paying one
member's first month at the right amount). Request bodies are made here in Python and handed to wrk as a
Lua table; each wrk thread takes its own share, so no request repeats one made before.

The members paid by the notifications are imported first (``members.importer``, untimed). After each run
the database is counted: every 201 must be a new member, every 200 a new payment. Prints ONE line:
req/s and p99 of each next to /health's, and the ratio to /health. Targets (issue 20): registration
>= 250 req/s, notifications >= 300 req/s, p99 < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from _setup import ROOT, err, vendor

from django.utils import timezone

JARING = str(Path(sys.executable).with_name("jaring"))
LETTERS = "abcdefghijklmnopqrstuvwxyz"

LUA = r"""
local bodies = dofile(%(data)s)
local n = #bodies
local path = %(path)s
local headers_of = %(headers)s
function init(args)
  step = tonumber(args[1])
  idx = tid + 1
end
function request()
  local k = idx
  idx = idx + step
  if idx > n then idx = tid + 1 end
  local b = bodies[k]
  return wrk.format("POST", path, headers_of(b), b[1])
end
"""
LUA_COMMON = r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def lua_string(s: str) -> str:
    return "[==[" + s + "]==]"


def write_data(path: Path, rows: list[list[str]]) -> None:
    with path.open("w") as f:
        f.write("return {\n")
        for row in rows:
            f.write("{" + ",".join(lua_string(x) for x in row) + "},\n")
        f.write("}\n")


# --- data --------------------------------------------------------------------------------------------------

def manager_token() -> str:
    from jaring.accounts.services import create_token, create_user
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username="bench-http").exists():
        create_user("bench-http", secrets.token_urlsafe(16), "manager", None)
    return create_token("bench-http")


def channel() -> tuple[str, str]:
    from jaring.contributions.models import Channel

    ch, _ = Channel.objects.get_or_create(code="BENCHHTTP", defaults={"name": "Bench HTTP", "fee": 2_500,
                                                                      "secret": secrets.token_hex(24)})
    return ch.code, ch.secret


def villages(limit=400) -> list[str]:
    from jaring.regions.models import Region

    served = set(Region.objects.filter(level=2, branch__isnull=False).values_list("code", flat=True))
    codes = Region.objects.filter(level=4).order_by("code").values_list("code", flat=True)[::97]
    return [c for c in codes if c[:5] in served][:limit]


def registrations(n: int, rnd: random.Random, taken: set[str]) -> list[dict]:
    vill = villages()
    out = []
    while len(out) < n:
        v = rnd.choice(vill)
        female = rnd.random() < 0.5
        day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(1970, 2000)
        nik = f"{v[:8].replace('.', '')}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}" \
              f"{rnd.randint(1, 9999):04d}"
        if nik in taken:
            continue
        taken.add(nik)
        name = " ".join("".join(rnd.choice(LETTERS) for _ in range(rnd.randint(4, 8))).title() for _ in range(2))
        out.append({"nik": nik, "name": name, "phone": f"0812{rnd.randint(10_000_000, 99_999_999)}",
                    "village_code": v, "occupation": rnd.choice(["pedagang", "petani", "nelayan"]),
                    "income": rnd.choice([1_000_000, 1_500_000, 2_500_000]), "programs": "JKK,JKM"})
    return out


def members_to_pay(n: int, rnd: random.Random, taken: set[str]) -> list:
    """``n`` active members registered today (imported, untimed): each pays its first month once."""
    from django.contrib.auth import get_user_model

    from jaring.members import importer
    from jaring.members.models import Member

    actor = get_user_model().objects.get(username="bench-http")
    rows = registrations(n, rnd, taken)
    for i in range(0, len(rows), 1000):
        result = importer.import_rows(rows[i:i + 1000], actor=actor, channel="branch", funding="self")
        if result.errors:
            err(f"import: {len(result.errors)} rows refused, e.g. {result.errors[0][2]}")
    return list(Member.objects.filter(nik__in=[r["nik"] for r in rows]))


def notifications(members: list, code: str, secret: str) -> list[list[str]]:
    from jaring.contributions.pricing import member_quote
    from jaring.contributions.services import sign

    month = timezone.localdate().replace(day=1)
    paid_at = timezone.localtime().replace(microsecond=0).isoformat()
    run = secrets.token_hex(4)
    rows = []
    for m in members:
        body = json.dumps({"reference": f"BH-{run}-{m.pk}", "customer": m.nik,
                           "amount": member_quote(m, month).total, "months": 1, "paid_at": paid_at})
        rows.append([body, sign(secret, body.encode())])
    return rows


# --- server and wrk ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = {**os.environ, "JARING_DEBUG": "0", "JARING_SECRET_KEY": secrets.token_urlsafe(40),
           "JARING_LOG_LEVEL": "ERROR", "JARING_ALLOWED_HOSTS": "127.0.0.1"}
    cmd = [JARING, "serve", "--host", "127.0.0.1", "--port", str(port), "--server", args.server]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if args.server_threads:
        cmd += ["--threads", str(args.server_threads)]
    cwd = ROOT
    if args.source:  # another checkout of Jaring (e.g. the code before a change), its own `jaring serve`
        cwd = Path(args.source).resolve()
        env["PYTHONPATH"] = str(cwd)
        cmd = [sys.executable, "-m", "jaring", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=sys.stderr,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not answer /health within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# --- CPU per request (the machine may be shared: CPU seconds are what a request costs, whatever the load) --

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _descendants(root: int) -> list[int]:
    parents = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c, pp in parents.items() if pp == p)
    return out


def _db_backends() -> list[int]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [r[0] for r in cur.fetchall()]


def cpu_snapshot(server_pid: int) -> dict:
    return {"app": {p: _cpu_of(p) for p in _descendants(server_pid)}, "db": {p: _cpu_of(p) for p in _db_backends()}}


def cpu_used(before: dict, after: dict) -> tuple[float, float]:
    def delta(kind):
        return sum(v - before[kind].get(p, 0.0) for p, v in after[kind].items())
    return delta("app"), delta("db")


def wrk(args, port: int, script: Path, path: str, duration: int, server_pid: int | None = None) -> dict:
    before = cpu_snapshot(server_pid) if server_pid else None
    cmd = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{duration}s",
           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}{path}", "--", str(args.wrk_threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = [x for x in out.splitlines() if x.startswith("{")][-1]
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = sum(v for k, v in r.items() if k.startswith("errors_"))
    r["app_ms"] = r["db_ms"] = 0.0
    if before is not None:
        time.sleep(0.5)  # requests still in flight when wrk stopped
        app, db = cpu_used(before, cpu_snapshot(server_pid))
        r["app_ms"], r["db_ms"] = 1000 * app / r["requests"], 1000 * db / r["requests"]
    err(f"  {path}: {r['requests']} requests, {r['rps']:.0f} req/s, p50 {r['p50_us'] / 1000:.1f} ms, "
        f"p99 {r['p99_us'] / 1000:.1f} ms, max {r['max_us'] / 1000:.0f} ms, errors {r['errors']}; CPU per request: "
        f"server {r['app_ms']:.2f} ms + PostgreSQL {r['db_ms']:.2f} ms")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    ap.add_argument("--workers", type=int, default=0, help="jaring serve --workers (default: its own)")
    ap.add_argument("--server-threads", type=int, default=0, help="jaring serve --threads (default: its own)")
    ap.add_argument("--duration", type=int, default=15, help="seconds per endpoint")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--requests", type=int, default=9000, help="distinct bodies made per endpoint")
    ap.add_argument("--source", help="serve another checkout of Jaring instead (its default server and options; "
                                     "for before/after figures)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    from jaring.members.models import Member
    from jaring.contributions.models import Payment

    rnd = random.Random()
    taken = set(Member.objects.values_list("nik", flat=True))
    token = manager_token()
    code, secret = channel()
    err(f"making {args.requests} registrations and importing {args.requests} members to pay…")
    regs = registrations(args.requests, rnd, taken)
    payers = members_to_pay(args.requests, rnd, taken)
    notes = notifications(payers, code, secret)
    err(f"  {len(payers)} members to pay")

    tmp = Path(tempfile.mkdtemp(prefix="bench_http_"))
    health_lua = tmp / "health.lua"
    health_lua.write_text(LUA_COMMON)
    reg_data, note_data = tmp / "reg_data.lua", tmp / "note_data.lua"
    write_data(reg_data, [[json.dumps(r)] for r in regs])
    write_data(note_data, notes)
    reg_lua, note_lua = tmp / "reg.lua", tmp / "note.lua"
    reg_lua.write_text(LUA % {"data": lua_string(str(reg_data)), "path": lua_string("/api/v1/members"),
                              "headers": 'function(b) return {["Content-Type"]="application/json", '
                                         f'["Authorization"]="Bearer {token}"}} end'} + LUA_COMMON)
    note_lua.write_text(LUA % {"data": lua_string(str(note_data)),
                               "path": lua_string("/api/v1/payments/notifications"),
                               "headers": 'function(b) return {["Content-Type"]="application/json", '
                                          f'["X-Jaring-Channel"]="{code}", ["X-Jaring-Signature"]=b[2]}} end'}
                        + LUA_COMMON)

    port = free_port()
    members_before, payments_before = Member.objects.count(), Payment.objects.filter(channel__code=code).count()
    proc = start_server(args, port)
    try:
        err(f"server: jaring serve --server {args.server} on port {port}; wrk -t{args.wrk_threads} "
            f"-c{args.connections} -d{args.duration}s")
        wrk(args, port, health_lua, "/health", 3)  # warm-up (workers import, connections open)
        health = wrk(args, port, health_lua, "/health", args.duration, proc.pid)
        reg = wrk(args, port, reg_lua, "/api/v1/members", args.duration, proc.pid)
        note = wrk(args, port, note_lua, "/api/v1/payments/notifications", args.duration, proc.pid)
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    new_members = Member.objects.count() - members_before
    new_payments = Payment.objects.filter(channel__code=code).count() - payments_before
    ok_reg, ok_note = reg["requests"] - reg["errors"], note["requests"] - note["errors"]
    err(f"database: {new_members} new members (HTTP 201s: {ok_reg}), {new_payments} new payments "
        f"(HTTP 200s: {ok_note}); a few more than the answers wrk counted: requests in flight when it stopped")
    if reg["requests"] > len(regs) or note["requests"] > len(notes):
        err("WARNING: more requests than distinct bodies: raise --requests (repeats are 409 / duplicates)")

    def part(name, r):
        return (f"{name} {r['rps']:,.0f} req/s p99 {r['p99_us'] / 1000:.0f} ms "
                f"(ratio to /health {r['rps'] / health['rps']:.2f}, errors {r['errors']}, "
                f"cpu/req server {r['app_ms']:.1f} ms + db {r['db_ms']:.1f} ms)")

    workers = f" workers={args.workers}" if args.workers else ""
    if args.source:
        workers += f" source={args.source}"
    load = os.getloadavg()[0]
    server = "its-own" if args.source else args.server
    print(f"bench_http {vendor()} server={server}{workers} c={args.connections}: "
          f"health {health['rps']:,.0f} req/s p99 {health['p99_us'] / 1000:.0f} ms; "
          f"{part('registration', reg)}; {part('notifications', note)}; "
          f"db new_members={new_members} new_payments={new_payments}; load {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
