"""Opening entries: an installation upgraded to the journal books its existing money once, as the
entries the posting functions would have written, summed (migration 0002; also safe to call again:
it books nothing when an opening entry exists).

It lives with the migrations because it reads the other apps' tables as they were at the upgrade (raw
SQL on the historical schema), as a data migration does; no running code calls it.

One entry (kind ``opening``), dated the day of the upgrade, with per account the sum of what the
records hold: paid bills as contribution income by program and channel cash (or agent cash, or the
sponsor prepayment) as their source, channel fees, sponsor money received, commission lines, JHT
savings entries, approved and paid JKK/JKM claims and paid scholarships. It balances by construction.
"""

from __future__ import annotations

from jaring.ledger import chart


def _rows(cur, sql):
    cur.execute(sql)
    return cur.fetchall()


def opening_lines(cur) -> dict[str, int]:
    """{account code: debit − credit} for the existing records (read with raw SQL: works in a migration)."""
    net: dict[str, int] = {}

    def add(code, amount):
        amount = int(amount or 0)
        if amount:
            net[code] = net.get(code, 0) + amount

    # paid bills by the channel of the payment that paid them (income per program, source per channel)
    for code, jkk, jkm, jht in _rows(cur, """
            SELECT c.code, SUM(b.jkk), SUM(b.jkm), SUM(b.jht) FROM contributions_bill b
            JOIN contributions_payment p ON p.id = b.payment_id JOIN contributions_channel c ON c.id = p.channel_id
            WHERE b.status = 'paid' GROUP BY c.code"""):
        add(chart.source_account(code), (jkk or 0) + (jkm or 0) + (jht or 0))
        add(chart.INCOME_JKK, -(jkk or 0))
        add(chart.INCOME_JKM, -(jkm or 0))
        add(chart.INCOME_JHT, -(jht or 0))
    for code, fee in _rows(cur, """SELECT c.code, SUM(p.fee) FROM contributions_payment p
            JOIN contributions_channel c ON c.id = p.channel_id GROUP BY c.code"""):
        add(chart.source_account(code), fee)
        add(chart.CHANNEL_FEES, -(fee or 0))
    # sponsors' money received (applied money already left the prepayment above)
    (received,), = _rows(cur, "SELECT SUM(amount) FROM sponsors_invoicepayment")
    add(chart.channel_cash("SPONSOR"), received)
    add(chart.SPONSOR_PREPAID, -(received or 0))
    # commission owed: booked per month apart (see commission_months), so a later re-run of a month
    # books only its difference
    # JHT savings: contributions and returns credited into the fund, withdrawals paid from it
    for kind, amount in _rows(cur, "SELECT kind, SUM(amount) FROM savings_entry GROUP BY kind"):
        amount = int(amount or 0)
        if kind == "contribution":
            add(chart.JHT_TRANSFER, amount)
            add(chart.JHT_FUND, -amount)
        elif kind == "return":
            add(chart.JHT_RETURNS, amount)
            add(chart.JHT_FUND, -amount)
        elif kind == "withdrawal":
            add(chart.JHT_FUND, amount)
            add(chart.BANK, -amount)
    # JKK/JKM claims approved (an expense, owed) and paid (from the bank); scholarships paid
    for program, status, amount in _rows(cur, """SELECT program, status, SUM(amount) FROM claims_claim
            WHERE program IN ('JKK', 'JKM') AND status IN ('approved', 'paid') GROUP BY program, status"""):
        add(chart.BENEFIT[program], amount)
        add(chart.CLAIMS_PAYABLE if status == "approved" else chart.BANK, -(amount or 0))
    for program, amount in _rows(cur, """SELECT c.program, SUM(s.amount) FROM claims_scholarship s
            JOIN claims_claim c ON c.id = s.claim_id WHERE s.state = 'paid' AND c.program IN ('JKK', 'JKM')
            GROUP BY c.program"""):
        add(chart.BENEFIT[program], amount)
        add(chart.BANK, -(amount or 0))
    rest = sum(net.values())
    if rest:  # cannot happen (every amount above is added twice, once per side); kept visible if it does
        add(chart.OPENING, -rest)
    return net


def commission_months(cur) -> list[tuple[int, str, int]]:
    """[(yyyymm, "YYYY-MM", total)] of the commission lines: one "commission" entry each, referenced by
    month like the ones ``ledger.services.post_commission_run`` books."""
    out = []
    for month, total in _rows(cur, "SELECT month, SUM(total) FROM agents_commissionline GROUP BY month ORDER BY month"):
        month = str(month)[:7]
        if int(total or 0):
            out.append((int(month[:4]) * 100 + int(month[5:7]), month, int(total)))
    return out


def book_opening(cur, *, on, account_id, entry_insert) -> int | None:
    """Write the opening entry with ``entry_insert(lines)``; returns its id (None when nothing to book)."""
    net = {code: amount for code, amount in opening_lines(cur).items() if amount}
    if not net:
        return None
    lines = [(account_id(code), amount if amount > 0 else 0, -amount if amount < 0 else 0)
             for code, amount in sorted(net.items())]
    return entry_insert(lines)
