"""Settlement import: a channel's daily CSV (reference,customer,amount,months,paid_at), posted set-based.

The file is parsed once in Python (format checks and repeated references only), bulk-loaded into a
temporary staging table (COPY on PostgreSQL, executemany on SQLite), then classified by TWO
``CREATE TEMPORARY TABLE ... AS SELECT`` statements and posted by one ``INSERT ... SELECT`` per target
table (payments, bills, rejected rows) and one journal entry. Nothing is done row by row, and the same SQL runs on SQLite and PostgreSQL. The whole import is ONE
transaction: a crash half-way leaves no partial posting, and running the same file again posts nothing
(every row already posted becomes a duplicate).

Outcome of each row, reconciled in :class:`SettlementFile` (rows and Rupiah):
* ``posted``: a new payment; its months credited in order from the member's first unpaid month
  (rows of the same member in one file are taken in line order). The file's posted payments are booked
  as ONE journal entry (jaring.ledger): channel cash = contributions by program + the channel's fees.
* ``duplicates``: (channel, reference) already posted, by a notification or an earlier import,
  with the same member, amount and months.
* ``rejected``: kept in :class:`SettlementRow` with the reason (bad format, unknown customer,
  inactive member, reference reused with different content, repeated in the file, amount not
  equal to what those months cost, or an earlier rejected row of the same member in this file).

Where each row's months start: the month after the member's last paid bill (one backward probe of the
bill table's (member, month) index per member; never an aggregate over the bill history), and after
the member's earlier rows in the same file. If a month was nevertheless paid after the file was
classified (a notification committed meanwhile), the bill upsert credits fewer months than the rows
carry and the whole import is cancelled with a message to run it again, never half-posted.

Performance (docs/performance.md): the classification reads each big table once - members by NIK,
payments by (channel, reference), the bill index - as hash joins on PostgreSQL (the temporary tables
are ANALYZEd so the planner knows their size) and index probes on SQLite.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from datetime import date, datetime, timedelta, timezone as dt_timezone

from django.db import connection, transaction
from django.utils import timezone

from jaring.core import audit
from jaring.core.errors import DomainError
from jaring.ledger import services as ledger
from jaring.members import sql as members_sql
from jaring.members.models import Member
from jaring.rules.periods import month_index

from .pricing import PRICE_TABLE, base_sql, create_price_table, month_index_sql, price_columns
from .services import FUTURE_DAYS
from .sqlutil import bulk_load, create_seq, drop_temp, is_pg, now_param, tune_bulk

STAGE = "jaring_stage"
CLS = "jaring_cls"
FIN = "jaring_fin"
SEQ = "jaring_seq"
HEADER = ["reference", "customer", "amount", "months", "paid_at"]
STAGE_COLUMNS = ["line", "reference", "customer", "nik", "amount", "months", "paid_at", "paid_at_raw", "reason"]

R_UNKNOWN = "Tidak ada peserta dengan NIK/KPJ ini."
R_INACTIVE = "Pendaftaran peserta ditolak: iuran belum bisa diterima."
R_BEFORE_FIRST = "paid_at sebelum bulan pertama kepesertaan peserta ini."
R_FUTURE = "paid_at lebih dari 7 hari di masa depan."
R_REUSED = "Referensi sudah dipakai untuk pembayaran lain dengan isi berbeda."
R_AFTER_REJECTED = "Baris sebelumnya untuk peserta ini ditolak, jadi bulan tidak berurutan."


def _parse_rows(text: str, utc=dt_timezone.utc):
    """Yield staging tuples; format problems and repeated references become a rejection reason here."""
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
    fromiso = datetime.fromisoformat
    when: dict[str, object] = {}
    latest = datetime.now(utc) + timedelta(days=FUTURE_DAYS)
    seen: dict[str, int] = {}  # reference -> first line (the first one counts, later ones are set aside)
    line = 1
    for row in reader:
        line += 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < need:
            yield (line, ",".join(row)[:200], "", None, 0, 0, None, "", "Jumlah kolom kurang dari 5.")
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
            # a day's file has at most 86,400 distinct seconds: convert each timestamp text once
            paid = when.get(paid_raw)
            if paid is None:
                try:
                    dt = fromiso(paid_raw)
                    if dt.tzinfo is None:
                        dt = dt.replace(tzinfo=tz_local)
                    dt = dt.astimezone(utc)
                    if dt > latest:
                        reason = R_FUTURE
                    else:
                        paid = dt if pg else dt.replace(tzinfo=None).isoformat(" ")
                        if len(when) < 200_000:
                            when[paid_raw] = paid
                except ValueError:
                    reason = "paid_at harus tanggal-waktu ISO 8601, misalnya 2026-05-10T09:30:00+07:00."
        if reason is None:
            first = seen.setdefault(ref, line)
            if first != line:
                reason = f"Referensi ganda di berkas ini (pertama di baris {first})."
        # the NIK is the payment code (SPEC 2.3); an 11-digit KPJ is translated to its NIK in SQL
        nik = cust if reason is None and len(cust) == 16 else None
        yield (line, ref[:200], cust[:200], nik, amount, months, paid, paid_raw[:64], reason)

def _create_stage(cur):
    drop_temp(cur, STAGE, CLS, FIN)
    ts = "timestamp with time zone" if is_pg() else "text"
    cur.execute(f"""CREATE TEMPORARY TABLE {STAGE} (
        line integer NOT NULL, reference varchar(200) NOT NULL, customer varchar(200) NOT NULL,
        nik varchar(16), amount bigint NOT NULL, months integer NOT NULL, paid_at {ts},
        paid_at_raw varchar(64), reason text)""")

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
    if "\x00" in text:  # the same rule as every other input (jaring.core.guard): PostgreSQL cannot store NUL
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DomainError(f"Berkas settlement berisi karakter NUL (\\0) di baris {line}; minta berkas yang bersih "
                          "dari bank/kanal. Tidak ada yang diposting.", {"file": "Karakter NUL."})

    with transaction.atomic(), connection.cursor() as cur:
        say(f"Membaca {filename}…")
        tune_bulk(cur)
        _create_stage(cur)
        tally = [0, 0]

        def counted(rows):
            for row in rows:
                tally[0] += 1
                tally[1] += row[4]
                yield row
        bulk_load(cur, STAGE, STAGE_COLUMNS, counted(_parse_rows(text)))
        del text
        say(f"{tally[0]} baris dimuat; memeriksa…")
        # the file row is written first: on SQLite this takes the write lock that _payment_id_sql relies on
        settlement = SettlementFile.objects.create(
            channel=channel, filename=filename[:255], sha256=sha,
            imported_by=actor if getattr(actor, "is_authenticated", False) else None)
        bounds = _classify(cur, channel)
        say("Memposting pembayaran…")
        _post(cur, channel, settlement, actor, bounds)
        counts = _counts(cur)
        if (counts["rows"], counts["amount_rows"]) != tuple(tally):
            raise DomainError("Rekonsiliasi tidak cocok dengan isi berkas; impor dibatalkan, tidak ada yang diposting.")
        for k, v in counts.items():
            setattr(settlement, k, v)
        settlement.save()
        drop_temp(cur, STAGE, CLS, FIN, SEQ, PRICE_TABLE)
        audit.record(actor, "settlement.import", settlement, note=f"{channel.code} {filename}",
                     changes={k: [None, v] for k, v in counts.items()})
    if not settlement.reconciled:  # cannot happen: every row gets exactly one outcome
        raise DomainError("Rekonsiliasi tidak cocok; impor dibatalkan.")
    return {"rows": settlement.rows, "posted": settlement.posted, "duplicates": settlement.duplicates,
            "rejected": settlement.rejected, "amount_posted": settlement.amount_posted,
            "amount_duplicates": settlement.amount_duplicates, "amount_rejected": settlement.amount_rejected,
            "amount_rows": settlement.amount_rows, "file_id": settlement.pk, "channel": channel.code}

def _fence() -> str:
    # PostgreSQL would pull nested subqueries up and evaluate each CASE once per reference to it;
    # OFFSET 0 keeps every level computed once per row (SQLite computes subqueries as written)
    return "OFFSET 0" if is_pg() else ""

def _cross() -> str:
    # SQLite: CROSS JOIN fixes the join order (the row first, then its months); PostgreSQL plans it itself
    return "JOIN" if is_pg() else "CROSS JOIN"

def _classify(cur, channel):
    """Build FIN: one row per line with its outcome ('P' posted, 'D' duplicate, 'R' rejected + reason),
    the member's pricing attributes, the first month to credit (month index) and the payment id."""
    s, fence = STAGE, _fence()
    # an 11-digit customer code is a KPJ: translate it to the member's NIK (rare; index probes)
    cur.execute(f"""UPDATE {s} SET nik = (SELECT m.nik FROM {members_sql.table()} m
                                          WHERE m.kpj = {s}.customer)
                    WHERE reason IS NULL AND nik IS NULL""")
    if is_pg():
        cur.execute(f"ANALYZE {s}")  # real row counts for the planner: hash joins, not a million probes
    fidx = month_index_sql("m.first_month")
    after_paid = month_index_sql("b.month") + " + 1"
    greatest = "GREATEST" if is_pg() else "MAX"
    same = "p.member_id = m.id AND p.amount = s.amount AND p.months = s.months"
    # 1. who pays, whether the reference was seen before, and where each row's months start: the month
    #    after the member's last paid month (one backward probe of the bill index per member, never an
    #    aggregate over the bill history), not before the first contribution month, after this file's
    #    earlier rows of the same member. The probe appears once in the statement (SQLite inlines
    #    subqueries, so a value referenced several times would be computed several times).
    cur.execute(f"""CREATE TEMPORARY TABLE {CLS} AS
        SELECT y.line, y.reference, y.customer, y.amount, y.months, y.paid_at, y.paid_at_raw, y.member_id,
               y.sector, y.funding, y.income, y.jht, y.outcome, y.reason,
               CASE WHEN y.outcome IS NULL THEN
                    y.start_idx + SUM(CASE WHEN y.outcome IS NULL THEN y.months ELSE 0 END)
                        OVER (PARTITION BY y.member_id ORDER BY y.line ROWS UNBOUNDED PRECEDING) - y.months
               END AS first_idx
        FROM (
            SELECT s.line, s.reference, s.customer, s.amount, s.months, s.paid_at, s.paid_at_raw,
                   m.id AS member_id, m.sector, m.funding, m.income, m.jht,
                   CASE WHEN s.reason IS NOT NULL OR m.id IS NULL OR m.status NOT IN ('active', 'pending')
                             OR s.paid_at < m.first_month
                        THEN NULL
                        ELSE {greatest}({fidx}, COALESCE((SELECT {after_paid} FROM contributions_bill b
                                                          WHERE b.member_id = m.id AND b.status = 'paid'
                                                          ORDER BY b.month DESC LIMIT 1), 0)) END AS start_idx,
                   CASE WHEN s.reason IS NOT NULL THEN 'R'
                        WHEN p.id IS NOT NULL AND {same} THEN 'D'
                        WHEN p.id IS NOT NULL THEN 'R'
                        WHEN m.id IS NULL THEN 'R'
                        WHEN s.paid_at < m.first_month THEN 'R'
                        WHEN m.status = 'inactive' THEN 'C'
                        WHEN m.status NOT IN ('active', 'pending') THEN 'R' END AS outcome,
                   CASE WHEN s.reason IS NOT NULL THEN s.reason
                        WHEN p.id IS NOT NULL AND {same} THEN NULL
                        WHEN p.id IS NOT NULL THEN %s
                        WHEN m.id IS NULL THEN %s
                        WHEN s.paid_at < m.first_month THEN %s
                        WHEN m.status = 'inactive' THEN NULL
                        WHEN m.status NOT IN ('active', 'pending') THEN %s END AS reason
            FROM {s} s
            LEFT JOIN {members_sql.table()} m ON m.nik = s.nik
            LEFT JOIN contributions_payment p ON p.channel_id = %s AND p.reference = s.reference
            {fence}
        ) y""", [R_REUSED, R_UNKNOWN, R_BEFORE_FIRST, R_INACTIVE, channel.pk])
    if is_pg():
        cur.execute(f"ANALYZE {CLS}")  # without statistics the planner assumes a few hundred rows: index probes
    cur.execute(f"SELECT MIN(first_idx), MAX(first_idx + months - 1) FROM {CLS} WHERE outcome IS NULL")
    lo, hi = cur.fetchone()
    if lo is None:  # nothing to price: every row is a duplicate or rejected already
        lo = hi = date.today().year * 12
    lo_d, hi_d = date(lo // 12, lo % 12 + 1, 1), date(hi // 12, hi % 12 + 1, 1)
    # prices for exactly the months the rows reach, and the month numbers 0..11 to expand a row's months
    schedule = create_price_table(lo_d, hi_d)
    create_seq(cur, SEQ, 12)
    cols = price_columns(base_sql(schedule, lo_d, "t.income"), "t.jht")
    pay_id = _payment_id_sql(cur)
    cross = _cross()
    # unpaid bills exist only up to the last month billed: months after it (paid in advance) are priced
    # from the schedule without probing the bill table (a NULL key ends the index probe at once)
    cur.execute("SELECT MAX(month) FROM contributions_bill WHERE status = 'due'")
    last_billed = cur.fetchone()[0]
    if isinstance(last_billed, str):  # SQLite returns dates as text
        last_billed = date.fromisoformat(last_billed[:10])
    last_billed_idx = month_index(last_billed) if last_billed else -1

    def probe(t, p):
        return f"CASE WHEN {p}.midx <= {int(last_billed_idx)} THEN {t}.member_id END"
    # 2. what those months cost (an unpaid bill's amount when billed, else the schedule's price), the
    #    amount check, months in order after a rejected row, and the payment id of each posted row
    cur.execute(f"""CREATE TEMPORARY TABLE {FIN} AS
        SELECT w.*, CASE WHEN w.outcome = 'P' THEN {pay_id} END AS pay_id
        FROM (
            SELECT v.line, v.reference, v.customer, v.amount, v.months, v.paid_at, v.paid_at_raw, v.member_id,
                   v.sector, v.funding, v.income, v.jht, v.first_idx, v.expected,
                   CASE WHEN v.outcome IS NOT NULL THEN v.outcome
                        WHEN v.fail = 1 OR v.prior_fail = 1 THEN 'R' ELSE 'P' END AS outcome,
                   CASE WHEN v.outcome IS NOT NULL THEN v.reason
                        WHEN v.fail = 1 THEN 'Nominal ' || CAST(v.amount AS varchar(20)) || ' tidak sama dengan iuran '
                                 || CAST(v.months AS varchar(4)) || ' bulan: seharusnya '
                                 || COALESCE(CAST(v.expected AS varchar(20)), '?') || '.'
                        WHEN v.prior_fail = 1 THEN %s END AS reason
            FROM (
                SELECT u.*, COALESCE(MAX(u.fail) OVER (PARTITION BY u.member_id ORDER BY u.line
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prior_fail
                FROM (
                    SELECT t.*, CASE WHEN t.outcome IS NULL AND (x.expected IS NULL OR x.expected <> t.amount)
                                     THEN 1 ELSE 0 END AS fail, x.expected
                    FROM {CLS} t
                    LEFT JOIN (
                        SELECT t.line, COALESCE(b.amount, {cols['amount']})
                                       + CASE WHEN t.months > 1 THEN e.rest ELSE 0 END AS expected
                        FROM {CLS} t
                        JOIN {PRICE_TABLE} p ON p.midx = t.first_idx AND p.sector = t.sector AND p.funding = t.funding
                        LEFT JOIN contributions_bill b ON b.member_id = {probe('t', 'p')} AND b.month = p.month
                             AND b.status = 'due' AND b.month >= %s AND b.month <= %s
                        LEFT JOIN (
                            SELECT t.line, SUM(COALESCE(b.amount, {cols['amount']})) AS rest
                            FROM {CLS} t
                            {cross} {SEQ} q ON q.k >= 1 AND q.k < t.months
                            JOIN {PRICE_TABLE} p ON p.midx = t.first_idx + q.k AND p.sector = t.sector
                                 AND p.funding = t.funding
                            LEFT JOIN contributions_bill b ON b.member_id = {probe('t', 'p')} AND b.month = p.month
                                 AND b.status = 'due' AND b.month >= %s AND b.month <= %s
                            WHERE t.outcome IS NULL AND t.months > 1
                            GROUP BY t.line
                            HAVING COUNT(*) = MAX(t.months) - 1
                        ) e ON e.line = t.line
                        WHERE t.outcome IS NULL
                    ) x ON x.line = t.line
                    {fence}
                ) u {fence}
            ) v {fence}
        ) w""", [R_AFTER_REJECTED, lo_d, hi_d, lo_d, hi_d])
    if is_pg():
        cur.execute(f"ANALYZE {FIN}")
    return schedule, lo_d

def _payment_id_sql(cur) -> str:
    """SQL giving each posted row its payment id, so bills and ledger entries need no join back.

    PostgreSQL: the table's own sequence (safe with concurrent notifications). SQLite: the file's
    line numbers above the highest id in use (this transaction already holds SQLite's single write
    lock, so nobody else can take ids meanwhile; gaps are harmless)."""
    if is_pg():
        cur.execute("SELECT pg_get_serial_sequence('contributions_payment', 'id')")
        seq = cur.fetchone()[0]
        return f"nextval('{seq}')"
    cur.execute("""SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'contributions_payment'), 0),
                              COALESCE((SELECT MAX(id) FROM contributions_payment), 0))""")
    return f"({int(cur.fetchone()[0])} + w.line)"

def _post(cur, channel, settlement, actor, bounds):
    schedule, lo_d = bounds
    now = now_param()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    cur.execute(f"SELECT COUNT(*), COALESCE(SUM(months), 0), COALESCE(SUM(amount), 0) FROM {FIN} WHERE outcome = 'P'")
    n_posted, n_months, amount_posted = cur.fetchone()
    if n_posted:
        calendar = f"{PRICE_TABLE} p ON p.sector = 'other' AND p.funding = 'self'"  # one row per month
        cur.execute(f"""INSERT INTO contributions_payment
                (id, channel_id, reference, member_id, amount, fee, months, first_month, paid_at, source,
                 settlement_file_id, created_by_id, created_at)
            SELECT t.pay_id, %s, t.reference, t.member_id, t.amount, %s, t.months, p.month, t.paid_at, 'settlement',
                   %s, %s, %s
            FROM {FIN} t JOIN {calendar} AND p.midx = t.first_idx
            WHERE t.outcome = 'P'""", [channel.pk, channel.fee, settlement.pk, actor_id, now])
        # the months: new bills already paid, or the month's unpaid bill (billed earlier) marked paid
        cols = price_columns(base_sql(schedule, lo_d, "t.income"), "t.jht")
        bills = f"""INSERT INTO contributions_bill
                (member_id, month, jkk, jkm, jht, discount, amount, due_date, status, payment_id, created_at)
            SELECT t.member_id, p.month, {cols['jkk']}, {cols['jkm']}, {cols['jht']}, {cols['discount']},
                   {cols['amount']}, p.due_date, 'paid', t.pay_id, %s
            FROM {FIN} t
            {_cross()} {SEQ} q ON q.k < t.months
            JOIN {PRICE_TABLE} p ON p.midx = t.first_idx + q.k AND p.sector = t.sector AND p.funding = t.funding
            WHERE t.outcome = 'P'
            ON CONFLICT (member_id, month) DO UPDATE SET status = 'paid', payment_id = excluded.payment_id
            WHERE contributions_bill.status = 'due'
            RETURNING jkk, jkm, jht"""
        # the credited months' parts per program, summed as they are written (for the journal entry)
        if is_pg():
            cur.execute(f"""WITH credited AS ({bills}) SELECT COUNT(*), COALESCE(SUM(jkk), 0), COALESCE(SUM(jkm), 0),
                                   COALESCE(SUM(jht), 0) FROM credited""", [now])
            credited, jkk, jkm, jht = (int(v) for v in cur.fetchone())
        else:  # SQLite has no INSERT inside WITH: add up what RETURNING gives
            cur.execute(bills, [now])
            credited = jkk = jkm = jht = 0
            for a, b, c in cur.fetchall():
                credited, jkk, jkm, jht = credited + 1, jkk + a, jkm + b, jht + c
        if credited != n_months:
            # a month was paid by another payment (a notification) while this file was being posted
            raise DomainError("Ada pembayaran lain untuk peserta yang sama saat berkas diposting; tidak ada yang "
                              "diposting. Jalankan impor sekali lagi.")
        # the journal (jaring.ledger): the file's posted payments as one balanced entry; the channel's
        # admin fee is held for the channel, apart from contribution income

        if int(amount_posted) != jkk + jkm + jht:  # cannot happen: amounts were checked against the bills
            raise DomainError("Jumlah iuran tidak sama dengan tagihan yang dilunasi; impor dibatalkan.")
        ledger.post_settlement(settlement, channel, jkk=jkk, jkm=jkm, jht=jht, fee=int(n_posted) * channel.fee,
                               actor=actor)
    # notifications the file confirms: now settled (no longer reversible), reconciled by reference
    cur.execute(f"""UPDATE contributions_payment SET settlement_file_id = %s
                    WHERE channel_id = %s AND settlement_file_id IS NULL
                      AND reference IN (SELECT reference FROM {FIN} WHERE outcome = 'D')""",
                [settlement.pk, channel.pk])
    _post_continuations(cur, channel, settlement, actor)
    cur.execute(f"""INSERT INTO contributions_settlementrow
            (file_id, line, reference, customer, amount, months, paid_at, reason, member_id)
        SELECT %s, line, reference, customer, amount, months, COALESCE(paid_at_raw, ''), reason, member_id
        FROM {FIN} WHERE outcome = 'R'""", [settlement.pk])

def _post_continuations(cur, channel, settlement, actor):
    """Rows of non-active members continue the membership (SPEC 2.3): rare, so posted one by one in line
    order with the same service as a notification; each becomes posted ('P') or rejected ('R' + reason)."""
    from .models import Payment
    from .services import post_claimed

    cur.execute(f"SELECT line, reference, member_id, amount, months, paid_at_raw FROM {FIN} "
                "WHERE outcome = 'C' ORDER BY line")
    for line, reference, member_id, amount, months, paid_raw in cur.fetchall():
        try:
            with transaction.atomic():
                payment = post_claimed(member=Member(pk=member_id), months=int(months), amount=int(amount),
                                       channel=channel, reference=reference, paid_at=_aware(paid_raw),
                                       source="settlement", actor=actor)
                Payment.objects.filter(pk=payment.pk).update(settlement_file=settlement)
            cur.execute(f"UPDATE {FIN} SET outcome = 'P' WHERE line = %s", [line])
        except DomainError as e:
            cur.execute(f"UPDATE {FIN} SET outcome = 'R', reason = %s WHERE line = %s", [e.message[:500], line])

def _aware(raw: str) -> datetime:
    dt = datetime.fromisoformat(raw)
    return dt if dt.tzinfo else timezone.make_aware(dt)

def _counts(cur) -> dict:
    cur.execute(f"SELECT outcome, COUNT(*), COALESCE(SUM(amount), 0) FROM {FIN} GROUP BY outcome")
    by = {o: (int(n), int(a)) for o, n, a in cur.fetchall()}
    p, d, r = by.get("P", (0, 0)), by.get("D", (0, 0)), by.get("R", (0, 0))
    return {"rows": p[0] + d[0] + r[0], "posted": p[0], "duplicates": d[0], "rejected": r[0],
            "amount_rows": p[1] + d[1] + r[1], "amount_posted": p[1], "amount_duplicates": d[1],
            "amount_rejected": r[1]}
