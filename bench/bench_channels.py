"""Benchmark (c): SNAP inquiry and payment over real HTTP with the production server (`jaring serve`), each next
to GET /health measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jaring_bench .venv/bin/python bench/bench_channels.py
    .venv/bin/python bench/bench_channels.py --members 6000 --duration 10 --connections 16

The database must be migrated (`jaring migrate`). The script makes a SNAP channel BENCHSNAP with a fresh RSA
key pair and secret, and ``--members`` transport workers two months in arrears (each owes 3 × Rp8,400 while
the PP 50/2025 discount runs), removing the previous run's bench members first. It starts `jaring serve`,
takes a B2B access token like a bank, and signs every request beforehand (each with its own X-EXTERNAL-ID,
so no answer comes from the replay record), then drives the server with wrk (Lua script cycling through the
signed requests, every wrk thread its own share):

1. GET /health (the server's floor: no database work);
2. POST /snap/v1.0/transfer-va/inquiry (a different member per request);
3. POST /snap/v1.0/transfer-va/payment (each member paid once, the amount the inquiry shows).

Prints one JSON line: requests/s and p99 latency of each, the ratios to /health, and the checks after the
payment phase (payments = members answered 2002500, bills credited = 3 × payments, no double credit).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone as dt_timezone

from _setup import ROOT, err, vendor

from django.db import connection
from django.utils import timezone

CHANNEL, SECRET = "BENCHSNAP", "rahasia-bench-snap-0123456789"
WIB = dt_timezone(timedelta(hours=7))
NIK_PREFIX = "99"  # bench members' NIKs (no real NIK starts with 99: there is no province 99)


def setup_channel():
    from jaring.contributions.models import Channel
    from jaring.snap.signing import generate_keypair

    private, public = generate_keypair()
    ch = Channel.objects.filter(code=CHANNEL).first()
    if ch is None:
        from jaring.contributions.services import create_channel

        ch = create_channel(code=CHANNEL, name="Bench SNAP", secret=SECRET, fee=1500, public_key=public)
    else:
        ch.public_key, ch.secret, ch.fee, ch.active = public, SECRET, 1500, True
        ch.save()
    return ch, private


def setup_members(n: int):
    from jaring.members.models import Member
    from jaring.rules.identifiers import make_kpj
    from jaring.rules.periods import add_months

    with connection.cursor() as cur:
        ids = "SELECT id FROM members_member WHERE nik LIKE %s"
        like = [NIK_PREFIX + "%"]
        for table, col in (("contributions_bill", "member_id"),
                           ("contributions_payment", "member_id"), ("contributions_membercoverage", "member_id"),
                           ("snap_snaprequest", "member_id")):
            cur.execute(f"DELETE FROM {table} WHERE {col} IN ({ids})", like)
        cur.execute("DELETE FROM contributions_paymentclaim WHERE channel_id IN "
                    "(SELECT id FROM contributions_channel WHERE code = %s)", [CHANNEL])
        cur.execute("DELETE FROM members_member WHERE nik LIKE %s", like)
    first = add_months(timezone.localdate().replace(day=1), -2)
    members = [Member(kpj=make_kpj(7_000_000_000 + i), nik=f"{NIK_PREFIX}{i:014d}", name=f"Peserta Bench {i}",
                      birth_date=date(1990, 1, 1), gender="L", phone="+6281200000000", village_id="63.71.04.1001",
                      district_code="63.71.04", regency_code="63.71", province_code="63", branch_id="KC-6371",
                      occupation="ojek_online", sector="transport", income=1_000_000, funding="self",
                      channel="branch", status="active", registered_on=first, first_month=first)
               for i in range(n)]
    Member.objects.bulk_create(members, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE members_member")
    return [m.nik for m in members]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, JARING_DEBUG="0", JARING_SECRET_KEY=os.environ.get("JARING_SECRET_KEY", "bench-" + "x" * 40),
               JARING_ALLOWED_HOSTS="127.0.0.1,localhost")
    log = open(tempfile.mkstemp(prefix="bench-channels-serve-", suffix=".log")[1], "w+b")  # never a pipe left unread
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "jaring"), "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True)
    proc.log = log
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    log.seek(0)
    raise SystemExit("jaring serve did not answer /health: " + log.read().decode()[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and any worker processes it started
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def lua_quote(s: str) -> str:
    return "[==[" + s + "]==]"


def write_script(requests: list[tuple[str, dict, bytes]], path: str, nthreads: int) -> None:
    """A wrk script cycling through pre-signed requests; thread t of T takes requests t, t+T, t+2T, ..."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("local reqs = {\n")
        for p, headers, body in requests:
            hs = ", ".join(f"[ {lua_quote(k)} ] = {lua_quote(v)}" for k, v in headers.items())
            fh.write(f"  {{{lua_quote(p)}, {{{hs}}}, {lua_quote(body.decode())}}},\n")
        fh.write("}\n")
        fh.write(f"nthreads = {int(nthreads)}\n")
        fh.write("""
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  idx = tid + 1
  statuses = {}
end
function request()
  local r = reqs[idx]
  idx = idx + nthreads
  if idx > #reqs then idx = tid + 1 end
  return wrk.format("POST", r[1], r[2], r[3])
end
function response(status, headers, body)
  local code = string.match(body, '"responseCode": *"(%d+)"') or tostring(status)
  statuses[code] = (statuses[code] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write("CODES {" .. table.concat(parts, ", ") .. "}\\n")
end
""")


def run_wrk(url: str, duration: int, connections: int, threads: int, script: str | None = None) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    err(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    codes = re.search(r"CODES (\{.*\})", out)
    return {"rps": round(rps, 1), "p50_ms": p50, "p99_ms": p99, "requests": total,
            "codes": json.loads(codes.group(1)) if codes else None}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=6000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    from jaring.snap import signing
    from jaring.snap.simulator import ChannelSimulator

    err(f"Database: {vendor()}; making channel {CHANNEL} and {args.members} members…")
    channel, private = setup_channel()
    niks = setup_members(args.members)
    proc = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        sim = ChannelSimulator.over_http(base, CHANNEL, SECRET, private, channel.service_id)
        sim.get_token()
        token = sim.token
        for nik in niks[-20:]:  # warm-up (first requests of each server thread import and connect); not timed
            sim.inquiry(nik)
        niks = niks[:-20]

        def signed(path, payload, ext):
            body = json.dumps(payload, separators=(",", ":")).encode()
            ts = datetime.now(WIB).isoformat(timespec="seconds")
            full = f"/snap/v1.0{path}"
            return full, {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                          "X-TIMESTAMP": ts, "X-PARTNER-ID": CHANNEL, "X-EXTERNAL-ID": ext, "CHANNEL-ID": "95221",
                          "X-SIGNATURE": signing.sign_transaction(SECRET, "POST", full, token, body, ts)}, body

        run = uuid.uuid4().hex[:6]
        inquiries = [signed("/transfer-va/inquiry", {**sim.va(nik), "inquiryRequestId": f"B{run}{i}"}, f"1{run}{i}")
                     for i, nik in enumerate(niks)]
        now = datetime.now(WIB).isoformat(timespec="seconds")
        payments = [signed("/transfer-va/payment", {**sim.va(nik), "paymentRequestId": f"P{run}{i}",
                                                    "paidAmount": {"value": "25200.00", "currency": "IDR"},
                                                    "trxDateTime": now}, f"2{run}{i}")
                    for i, nik in enumerate(niks)]
        tmp = tempfile.mkdtemp(prefix="bench-channels-")
        write_script(inquiries, f"{tmp}/inquiry.lua", args.threads)
        write_script(payments, f"{tmp}/payment.lua", args.threads)
        err("GET /health …")
        health = run_wrk(f"{base}/health", args.duration, args.connections, args.threads)
        err("SNAP inquiry …")
        inquiry = run_wrk(base, args.duration, args.connections, args.threads, f"{tmp}/inquiry.lua")
        err("SNAP payment …")
        payment = run_wrk(base, args.duration, args.connections, args.threads, f"{tmp}/payment.lua")
    finally:
        stop_server(proc)

    from django.db.models import Count, Sum

    from jaring.contributions.models import Bill, Payment
    from jaring.ledger.models import Line

    paid = Payment.objects.filter(channel=channel)
    n_paid = paid.count()
    bills = Bill.objects.filter(payment__in=paid).count()
    per_member = paid.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    money = (Line.objects.filter(entry__kind="payment", entry__ref_type="contributions.payment",
                                 entry__ref_id__in=paid.values("pk"), account__code__in=["4100", "4200", "4300"])
             .aggregate(s=Sum("credit"))["s"] or 0)
    ok = (payment["codes"] or {}).get("2002500", 0)
    checks = {"payments": n_paid, "answered_2002500": ok, "bills_credited": bills,
              "members_paid_twice": per_member, "contribution_rupiah": int(money),
              # a payment still in flight when wrk stops is posted without its answer being counted
              "consistent": 0 <= n_paid - min(ok, len(niks)) <= args.connections and bills == 3 * n_paid
              and per_member == 0 and money == 25200 * n_paid}
    result = {"database": vendor(), "server": "jaring serve", "connections": args.connections,
              "duration_s": args.duration,
              "health": health, "inquiry": inquiry, "payment": payment,
              "inquiry_vs_health": round(inquiry["rps"] / health["rps"], 3),
              "payment_vs_health": round(payment["rps"] / health["rps"], 3),
              "targets": {"inquiry_300_rps": inquiry["rps"] >= 300, "payment_150_rps": payment["rps"] >= 150,
                          "p99_under_250ms": max(inquiry["p99_ms"], payment["p99_ms"]) < 250},
              "checks": checks}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
