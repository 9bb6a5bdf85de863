"""Settlement import: a channel's daily CSV (reference,customer,amount,months,paid_at), posted set-based.

The file is parsed once in Python (format checks only), bulk-loaded into a temporary staging table
(COPY on PostgreSQL, executemany on SQLite), then classified and posted with a handful of
``UPDATE ... FROM`` / ``INSERT ... SELECT`` statements that run on both databases. Nothing is posted
row by row. The whole import is ONE transaction: a crash half-way leaves no partial posting, and
running the same file again posts nothing (every row already posted becomes a duplicate).

Outcome of each row, reconciled in :class:`SettlementFile` (rows and Rupiah):

* ``posted``: a new payment; its months credited in order from the member's first unpaid month
  (rows of the same member in one file are taken in line order); one ledger entry for the
  contribution and one for the channel's admin fee when it charges one.
* ``duplicates``: (channel, reference) already posted, by a notification or an earlier import,
  with the same member, amount and months.
* ``rejected``: kept in :class:`SettlementRow` with the reason (bad format, unknown customer,
  inactive member, reference reused with different content, repeated in the file, amount not
  equal to what those months cost, or an earlier rejected row of the same member in this file).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from datetime import datetime, timezone as dt_timezone

from django.db import connection, transaction
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import DomainError
from jaring.rules.periods import month_index

from .pricing import PRICE_TABLE, base_sql, create_price_table, month_index_sql, price_columns
from .sqlutil import bulk_load, create_seq, drop_temp, is_pg, now_param, tune_bulk

STAGE = "jaring_stage"
SEQ = "jaring_seq"
HEADER = ["reference", "customer", "amount", "months", "paid_at"]
STAGE_COLUMNS = ["line", "reference", "customer", "amount", "months", "paid_at", "paid_at_raw", "outcome", "reason"]


def _parse_rows(text: str, utc=dt_timezone.utc):
    """Yield staging tuples; format problems become a rejection reason right away."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise DomainError("Berkas settlement kosong: baris pertama harus judul kolom "
                          "reference,customer,amount,months,paid_at.", {"file": "Berkas kosong."})
    missing = [h for h in HEADER if h not in header]
    if missing:
        raise DomainError(f"Kolom {', '.join(missing)} tidak ada di baris judul; yang dibutuhkan: "
                          "reference,customer,amount,months,paid_at.", {"file": "Kolom kurang: " + ", ".join(missing)})
    ir, ic, ia, im, ip = (header.index(h) for h in HEADER)
    need = max(ir, ic, ia, im, ip) + 1
    pg = is_pg()
    tz_local = timezone.get_default_timezone()
    line = 1
    for row in reader:
        line += 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < need:
            yield (line, ",".join(row)[:200], "", 0, 0, None, "", "R", "Jumlah kolom kurang dari 5.")
            continue
        ref = row[ir].strip()
        cust = row[ic].strip()
        amount_s = row[ia].strip()
        months_s = row[im].strip()
        paid_raw = row[ip].strip()
        reason = None
        amount = int(amount_s) if amount_s.isdigit() else 0
        months = int(months_s) if months_s.isdigit() else 0
        if not ref or len(ref) > 64:
            reason = "Referensi kosong atau lebih dari 64 karakter."
        elif not (cust.isdigit() and len(cust) in (16, 11)):
            reason = "Kode pelanggan harus NIK 16 digit atau KPJ 11 digit."
        elif amount <= 0:
            reason = "Nominal harus angka Rupiah bulat lebih dari 0."
        elif not 1 <= months <= 12:
            reason = "Jumlah bulan harus 1 sampai 12."
        paid = None
        if reason is None:
            try:
                dt = datetime.fromisoformat(paid_raw)
                if dt.tzinfo is None:
                    dt = dt.replace(tzinfo=tz_local)
                dt = dt.astimezone(utc)
                paid = dt.isoformat() if pg else dt.replace(tzinfo=None).isoformat(" ")
            except ValueError:
                reason = "paid_at harus tanggal-waktu ISO 8601, misalnya 2026-05-10T09:30:00+07:00."
        yield (line, ref[:200], cust[:200], amount, months, paid, paid_raw[:64], "R" if reason else None, reason)


def _create_stage(cur):
    drop_temp(cur, STAGE)
    ts = "timestamp with time zone" if is_pg() else "text"
    cur.execute(f"""CREATE TEMPORARY TABLE {STAGE} (
        line integer PRIMARY KEY, reference varchar(200) NOT NULL, customer varchar(200) NOT NULL,
        amount bigint NOT NULL, months integer NOT NULL, paid_at {ts}, paid_at_raw varchar(64),
        outcome char(1), reason text, member_id bigint, first_idx integer, expected bigint, amount_fail integer)
        {"WITH (fillfactor = 60)" if is_pg() else ""}""")  # room for HOT updates of the outcome columns


def import_settlement(path, channel, *, actor=None, progress=None, filename: str | None = None) -> dict:
    """Post a settlement file (a path or bytes). Returns ``{"rows", "posted", "duplicates", "rejected",
    "amount_posted", ...}``; the reconciliation is also kept in a SettlementFile row."""
    from .models import SettlementFile
    from .services import get_channel

    say = progress or (lambda msg: None)
    channel = get_channel(channel)
    if isinstance(path, (bytes, bytearray)):
        data, filename = bytes(path), filename or "settlement.csv"
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            raise DomainError(f"Berkas {path} tidak bisa dibaca: {e.strerror}.", {"file": "Tidak bisa dibaca."})
        filename = filename or os.path.basename(str(path))
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Berkas settlement harus teks CSV UTF-8.", {"file": "Bukan UTF-8."})
    del data

    with transaction.atomic(), connection.cursor() as cur:
        say(f"Membaca {filename}…")
        tune_bulk(cur)
        _create_stage(cur)
        tally = [0, 0]

        def counted(rows):
            for row in rows:
                tally[0] += 1
                tally[1] += row[3]
                yield row
        bulk_load(cur, STAGE, STAGE_COLUMNS, counted(_parse_rows(text)))
        del text
        cur.execute(f"CREATE INDEX {STAGE}_ref ON {STAGE} (reference)")
        if is_pg():
            cur.execute(f"ANALYZE {STAGE}")
        cur.execute(f"SELECT COUNT(*) FROM {STAGE}")
        total = cur.fetchone()[0]
        say(f"{total} baris dimuat; memeriksa…")
        settlement = SettlementFile.objects.create(
            channel=channel, filename=filename[:255], sha256=sha,
            imported_by=actor if getattr(actor, "is_authenticated", False) else None)
        _classify(cur, channel)
        say("Memposting pembayaran…")
        _post(cur, channel, settlement, actor)
        counts = _counts(cur)
        if (counts["rows"], counts["amount_rows"]) != tuple(tally):
            raise DomainError("Rekonsiliasi tidak cocok dengan isi berkas; impor dibatalkan, tidak ada yang diposting.")
        for k, v in counts.items():
            setattr(settlement, k, v)
        settlement.save()
        drop_temp(cur, STAGE, SEQ, PRICE_TABLE)
        audit.record(actor, "settlement.import", settlement, note=f"{channel.code} {filename}",
                     changes={k: [None, v] for k, v in counts.items()})
    if not settlement.reconciled:  # cannot happen: every row gets exactly one outcome
        raise DomainError("Rekonsiliasi tidak cocok; impor dibatalkan.")
    return {"rows": settlement.rows, "posted": settlement.posted, "duplicates": settlement.duplicates,
            "rejected": settlement.rejected, "amount_posted": settlement.amount_posted,
            "amount_duplicates": settlement.amount_duplicates, "amount_rejected": settlement.amount_rejected,
            "amount_rows": settlement.amount_rows, "file_id": settlement.pk, "channel": channel.code}


def _classify(cur, channel):
    s = STAGE
    # repeated reference inside the file: the first line counts, later ones are set aside
    cur.execute(f"""UPDATE {s} SET outcome = 'R', reason = 'Referensi ganda di berkas ini (pertama di baris '
                        || CAST((SELECT MIN(t.line) FROM {s} t WHERE t.reference = {s}.reference) AS varchar(12)) || ').'
                    WHERE outcome IS NULL AND EXISTS (
                        SELECT 1 FROM {s} t WHERE t.reference = {s}.reference AND t.line < {s}.line)""")
    # the payment code: NIK (16 digits, SPEC 2.3) or KPJ (11 digits)
    cur.execute(f"""UPDATE {s} SET member_id = m.id FROM members_member m
                    WHERE {s}.outcome IS NULL AND length({s}.customer) = 16 AND m.nik = {s}.customer""")
    cur.execute(f"""UPDATE {s} SET member_id = m.id FROM members_member m
                    WHERE {s}.outcome IS NULL AND length({s}.customer) = 11 AND m.kpj = {s}.customer""")
    # already posted with this reference (a notification or an earlier import)
    cur.execute(f"""UPDATE {s} SET
                        outcome = CASE WHEN p.member_id = {s}.member_id AND p.amount = {s}.amount
                                        AND p.months = {s}.months THEN 'D' ELSE 'R' END,
                        reason = CASE WHEN p.member_id = {s}.member_id AND p.amount = {s}.amount
                                       AND p.months = {s}.months THEN NULL
                                 ELSE 'Referensi sudah dipakai untuk pembayaran lain dengan isi berbeda.' END
                    FROM contributions_payment p
                    WHERE {s}.outcome IS NULL AND p.channel_id = %s AND p.reference = {s}.reference""",
                [channel.pk])
    cur.execute(f"CREATE INDEX {s}_member ON {s} (member_id, line)")
    if is_pg():
        cur.execute(f"ANALYZE {s}")  # member_id is filled in now: fresh statistics for the joins below
    cur.execute(f"""UPDATE {s} SET outcome = 'R', reason = 'Tidak ada peserta dengan NIK/KPJ ini.'
                    WHERE outcome IS NULL AND member_id IS NULL""")
    cur.execute(f"""UPDATE {s} SET outcome = 'R',
                        reason = 'Peserta nonaktif atau ditolak: harus didaftarkan ulang sebelum membayar.'
                    FROM members_member m
                    WHERE {s}.outcome IS NULL AND m.id = {s}.member_id AND m.status NOT IN ('active', 'pending')""")
    cur.execute(f"SELECT COUNT(*) FROM {s} WHERE outcome IS NULL")
    if not cur.fetchone()[0]:
        return
    from datetime import date

    fidx = month_index_sql("m.first_month")
    pidx = month_index_sql("pm.paid")
    # first month of each row: the member's first unpaid month, after earlier rows of the same member
    cur.execute(f"""UPDATE {s} SET first_idx = c.first_idx FROM (
            SELECT t.line,
                   (CASE WHEN pm.paid IS NULL OR {pidx} < {fidx} THEN {fidx} ELSE {pidx} + 1 END)
                   + SUM(t.months) OVER (PARTITION BY t.member_id ORDER BY t.line) - t.months AS first_idx
            FROM {s} t
            JOIN members_member m ON m.id = t.member_id
            LEFT JOIN (SELECT b.member_id, MAX(b.month) AS paid FROM contributions_bill b
                       JOIN (SELECT DISTINCT member_id FROM {s} WHERE outcome IS NULL) sm
                            ON sm.member_id = b.member_id
                       WHERE b.status = 'paid'
                       GROUP BY b.member_id) pm ON pm.member_id = t.member_id
            WHERE t.outcome IS NULL) c
        WHERE {s}.line = c.line""")
    if is_pg():
        cur.execute(f"ANALYZE {s}")  # first_idx is filled in now: fresh statistics for the price joins
    # prices for exactly the months the rows reach (a small table keeps the bill lookups index probes)
    cur.execute(f"SELECT MIN(first_idx), MAX(first_idx + months - 1) FROM {s} WHERE outcome IS NULL")
    lo, hi = cur.fetchone()
    schedule = create_price_table(date(lo // 12, lo % 12 + 1, 1), date(hi // 12, hi % 12 + 1, 1))
    create_seq(cur, SEQ, 12)
    cols = price_columns(base_sql(schedule, date(lo // 12, lo % 12 + 1, 1)), "m.jht")
    cur.execute(f"""UPDATE {s} SET expected = c.expected FROM (
            SELECT t.line, SUM(COALESCE(b.amount, {cols['amount']})) AS expected
            FROM {s} t
            JOIN members_member m ON m.id = t.member_id
            JOIN {SEQ} q ON q.k < t.months
            JOIN {PRICE_TABLE} p ON p.midx = t.first_idx + q.k AND p.sector = m.sector AND p.funding = m.funding
            LEFT JOIN contributions_bill b ON b.member_id = t.member_id AND b.month = p.month
            WHERE t.outcome IS NULL
            GROUP BY t.line
            HAVING COUNT(*) = MAX(t.months)) c
        WHERE {s}.line = c.line""")
    cur.execute(f"""UPDATE {s} SET outcome = 'R', amount_fail = 1,
                        reason = 'Nominal ' || CAST(amount AS varchar(20)) || ' tidak sama dengan iuran '
                                 || CAST(months AS varchar(4)) || ' bulan: seharusnya '
                                 || COALESCE(CAST(expected AS varchar(20)), '?') || '.'
                    WHERE outcome IS NULL AND (expected IS NULL OR expected <> amount)""")
    # months are credited in order: after a rejected row, the member's later rows cannot post
    cur.execute(f"""UPDATE {s} SET outcome = 'R',
                        reason = 'Baris sebelumnya untuk peserta ini ditolak, jadi bulan tidak berurutan.'
                    WHERE outcome IS NULL AND EXISTS (
                        SELECT 1 FROM {s} t WHERE t.member_id = {s}.member_id AND t.line < {s}.line
                        AND t.amount_fail = 1)""")
    # the rows left (outcome NULL) are posted; counted as 'P' (no extra pass over the table)


def _post(cur, channel, settlement, actor):
    s = STAGE
    now = now_param()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    cur.execute(f"SELECT COUNT(*) FROM {s} WHERE outcome IS NULL")
    if cur.fetchone()[0]:
        cur.execute(f"""INSERT INTO contributions_payment
                (channel_id, reference, member_id, amount, fee, months, first_month, paid_at, source,
                 settlement_file_id, created_by_id, created_at)
            SELECT %s, t.reference, t.member_id, t.amount, %s, t.months, p.month, t.paid_at, 'settlement', %s, %s, %s
            FROM {s} t JOIN {PRICE_TABLE} p ON p.midx = t.first_idx AND p.sector = 'other' AND p.funding = 'self'
            WHERE t.outcome IS NULL""", [channel.pk, channel.fee, settlement.pk, actor_id, now])
        from .rates import current_schedule

        schedule = current_schedule()
        cols = price_columns(base_sql(schedule, settlement.imported_at.date()), "m.jht")
        cur.execute(f"""INSERT INTO contributions_bill
                (member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id, created_at)
            SELECT t.member_id, p.month, {cols['jkk']}, {cols['jkm']}, {cols['jht']}, {cols['discount']},
                   {cols['amount']}, p.due_date, 'paid', pay.id, %s
            FROM {s} t
            JOIN contributions_payment pay ON pay.channel_id = %s AND pay.reference = t.reference
            JOIN members_member m ON m.id = t.member_id
            JOIN {SEQ} q ON q.k < t.months
            JOIN {PRICE_TABLE} p ON p.midx = t.first_idx + q.k AND p.sector = m.sector AND p.funding = m.funding
            WHERE t.outcome IS NULL
            ON CONFLICT (member_id, month) DO UPDATE SET status = 'paid', payment_id = excluded.payment_id
            WHERE contributions_bill.status = 'due'""",
                    [now, channel.pk])
        credited = cur.rowcount
        cur.execute(f"SELECT COALESCE(SUM(months), 0) FROM {s} WHERE outcome IS NULL")
        if credited != cur.fetchone()[0]:
            # a month was paid by another payment (a notification) while this file was being posted
            raise DomainError("Ada pembayaran lain untuk peserta yang sama saat berkas diposting; tidak ada yang "
                              "diposting. Jalankan impor sekali lagi.")
        cur.execute("""INSERT INTO contributions_ledgerentry (payment_id, kind, amount, member_id, channel_id, created_at)
            SELECT id, 'contribution', amount, member_id, channel_id, %s FROM contributions_payment
            WHERE settlement_file_id = %s""", [now, settlement.pk])
        if channel.fee:
            cur.execute("""INSERT INTO contributions_ledgerentry
                    (payment_id, kind, amount, member_id, channel_id, created_at)
                SELECT id, 'channel_fee', fee, member_id, channel_id, %s FROM contributions_payment
                WHERE settlement_file_id = %s""", [now, settlement.pk])
    cur.execute(f"""INSERT INTO contributions_settlementrow
            (file_id, line, reference, customer, amount, months, paid_at, reason, member_id)
        SELECT %s, line, reference, customer, amount, months, COALESCE(paid_at_raw, ''), reason, member_id
        FROM {s} WHERE outcome = 'R'""", [settlement.pk])


def _counts(cur) -> dict:
    cur.execute(f"SELECT outcome, COUNT(*), COALESCE(SUM(amount), 0) FROM {STAGE} GROUP BY outcome")
    by = {o or "P": (int(n), int(a)) for o, n, a in cur.fetchall()}
    p, d, r = by.get("P", (0, 0)), by.get("D", (0, 0)), by.get("R", (0, 0))
    return {"rows": p[0] + d[0] + r[0], "posted": p[0], "duplicates": d[0], "rejected": r[0],
            "amount_rows": p[1] + d[1] + r[1], "amount_posted": p[1], "amount_duplicates": d[1],
            "amount_rejected": r[1]}
