"""Three-way daily reconciliation of one channel (SPEC 2.8): payments flagged (notifications and SNAP payments)
vs the settlement file vs the bank credit.

For one channel and one day (``paid_at`` in Asia/Jakarta):
* **flagged**: payments the channel flagged in real time (notification or SNAP), not reversed;
* **settled**: the settlement file's rows of that day: payments posted from the file, flagged payments the
  file confirmed (linked to it on import), and the rows it set aside (rejected);
* **bank**: the credits on the bank statement (CSV ``date,amount,description``) of that day that name the
  channel's code in the description (or every credit of the day when none names it: a statement of the
  channel's own collection account).

Every difference is listed with its reference and Rupiah: flagged but not in a settlement file, in the file
but never flagged, rejected rows, reversed payments the file still carries, and bank credit minus the file's
total. The channel keeps its admin fee, so the bank credit is compared with contribution Rupiah.
All totals are aggregates in SQL; only the differences come back as rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from jaring.accounts.scoping import scope_for
from jaring.core.errors import DomainError
from jaring.rules.identifiers import mask_nik

FLAGGING = ("notification", "snap")


def parse_day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(f"Tanggal '{value}' tidak valid: tulis TTTT-BB-HH, misalnya 2026-05-10.",
                          {"date": "Format TTTT-BB-HH."})

def _bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)

def _amount(text: str) -> int:
    s = str(text or "").strip().replace("Rp", "").replace(" ", "")
    if s.count(".") == 1 and len(s.split(".")[1]) == 2:  # 1500000.00
        s = s.split(".")[0]
    s = s.replace(".", "").replace(",", "")
    if not s.lstrip("-").isdigit():
        raise ValueError(text)
    return int(s)

def read_statement(data: bytes | str, day: date, channel) -> dict:
    """The bank credits of ``day`` for ``channel`` from a statement CSV (``date,amount,description``)."""
    text = data.decode("utf-8-sig") if isinstance(data, (bytes, bytearray)) else data
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [h for h in ("date", "amount", "description") if h not in header]
    if missing:
        raise DomainError("Rekening koran harus CSV dengan judul kolom date,amount,description; kurang: "
                          + ", ".join(missing) + ".", {"statement": "Kolom kurang."})
    idate, iamount, idesc = (header.index(h) for h in ("date", "amount", "description"))
    of_day, bad = [], []
    for n, row in enumerate(reader, start=2):
        if not row or not any(c.strip() for c in row):
            continue
        try:
            d = date.fromisoformat(row[idate].strip()[:10])
            amount = _amount(row[iamount])
        except (ValueError, IndexError):
            bad.append(n)
            continue
        if d == day:
            of_day.append((n, amount, row[idesc].strip() if len(row) > idesc else ""))
    if bad:
        raise DomainError(f"Baris rekening koran tidak terbaca (baris {', '.join(map(str, bad[:10]))}): tanggal "
                          "TTTT-BB-HH dan nominal Rupiah.", {"statement": "Baris tidak terbaca."})
    named = [r for r in of_day if channel.code.lower() in r[2].lower()]
    rows = named or of_day
    return {"count": len(rows), "amount": sum(a for _, a, _ in rows),
            "credits": [{"line": n, "amount": a, "description": d} for n, a, d in rows]}

def reconcile_day(channel, day, statement: bytes | str | None = None) -> dict:
    from .models import Payment
    from .services import get_channel

    channel = get_channel(channel)
    day = parse_day(day)
    start, end = _bounds(day)
    of_day = Payment.objects.filter(channel=channel, paid_at__gte=start, paid_at__lt=end)

    def totals(qs):
        t = qs.aggregate(n=Count("id"), amount=Sum("amount"), fee=Sum("fee"))
        return {"count": t["n"], "amount": int(t["amount"] or 0), "fee": int(t["fee"] or 0)}

    flagged_qs = of_day.filter(source__in=FLAGGING, reversed_at__isnull=True)
    flagged = totals(flagged_qs)
    reversed_ = totals(of_day.filter(reversed_at__isnull=False))
    in_file = of_day.filter(settlement_file__isnull=False)
    settled = totals(in_file)
    rejected = _rejected_rows(channel, day)
    settled["rejected"] = len(rejected)
    settled["amount_rejected"] = sum(r["amount"] for r in rejected)
    settled["rows"] = settled["count"] + settled["rejected"]
    settled["amount_rows"] = settled["amount"] + settled["amount_rejected"]
    settled["files"] = sorted(set(in_file.values_list("settlement_file__filename", flat=True))
                              | {r["file"] for r in rejected})

    def listed(qs, kind):
        return [{"kind": kind, "reference": ref, "kpj": kpj, "amount": int(amount), "fee": int(fee),
                 "member_branch": branch}
                for ref, kpj, amount, fee, branch in qs.order_by("paid_at", "id").values_list(
                    "reference", "member__kpj", "amount", "fee", "member__branch_id")]

    differences = (listed(flagged_qs.filter(settlement_file__isnull=True), "flagged_not_in_file")
                   + listed(of_day.filter(source="settlement"), "in_file_not_flagged")
                   + listed(of_day.filter(reversed_at__isnull=False, settlement_file__isnull=False),
                            "reversed_but_in_file")
                   + [{"kind": "rejected_in_file", "reference": r["reference"], "kpj": r["kpj"],
                       "amount": r["amount"], "fee": 0, "reason": r["reason"], "customer": r["customer"],
                       "member_branch": r["member_branch"]} for r in rejected])
    bank = None
    if statement is not None:
        bank = read_statement(statement, day, channel)
        gap = bank["amount"] - settled["amount_rows"]
        bank["difference"] = gap
        if gap:
            differences.append({"kind": "bank_credit_vs_file", "reference": "", "kpj": None, "amount": gap, "fee": 0})
    by_kind: dict[str, dict] = {}
    for d in differences:
        k = by_kind.setdefault(d["kind"], {"count": 0, "amount": 0})
        k["count"] += 1
        k["amount"] += d["amount"]
    return {"date": day.isoformat(), "channel": channel.code, "flagged": flagged, "reversed": reversed_,
            "settled": settled, "bank": bank, "difference_totals": by_kind, "differences": differences,
            "balanced": not differences}

def _rejected_rows(channel, day: date) -> list[dict]:
    """Rejected settlement rows of the channel whose paid_at falls on ``day`` (a row whose paid_at could not be
    read counts on the day its file was imported)."""
    from .models import SettlementRow

    from django.db.models import Q

    start, end = _bounds(day)
    # the row's paid_at is the channel's own text: candidates by its date prefix (the day and its neighbours,
    # for other time zones) or, unreadable, by the file's import day; then each row's own local date
    near = Q()
    for d in (day - timedelta(days=1), day, day + timedelta(days=1)):
        near |= Q(paid_at__startswith=d.isoformat())
    qs = (SettlementRow.objects.filter(file__channel=channel)
          .filter(near | Q(file__imported_at__gte=start, file__imported_at__lt=end))
          .select_related("file", "member").order_by("file_id", "line"))
    out = []
    for r in qs:
        try:
            dt = datetime.fromisoformat(r.paid_at.replace("Z", "+00:00"))
            on = timezone.localtime(dt if dt.tzinfo else timezone.make_aware(dt)).date()
        except ValueError:
            on = timezone.localtime(r.file.imported_at).date()
        if on == day:
            out.append({"file": r.file.filename, "line": r.line, "reference": r.reference, "customer": r.customer,
                        "kpj": r.member.kpj if r.member_id else None,
                        "member_branch": r.member.branch_id if r.member_id else None,
                        "amount": int(r.amount), "reason": r.reason})
    return out

def visible_to(result: dict, user) -> dict:
    """The same reconciliation for an officer's page: rows of members outside the officer's scope are left
    out, customer numbers of rows without a member are masked (Rupiah totals stay channel-wide)."""

    scope = scope_for(user)
    rows = []
    hidden = 0
    for d in result["differences"]:
        d = dict(d)
        if d.get("member_branch") and not scope.allows_branch(d["member_branch"]):
            hidden += 1
            continue
        if d["kind"] == "rejected_in_file" and not d.get("member_branch") and not scope.national:
            customer = d.get("customer") or ""
            d["customer"] = mask_nik(customer) if len(customer) == 16 else "*" * len(customer)
        rows.append(d)
    return {**result, "differences": rows, "hidden": hidden}
