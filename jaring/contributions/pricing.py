"""What a member owes for a month, in Python (one member) and as a small SQL price table (set-based work).

Both follow :func:`jaring.rules.contributions.quote` exactly: each program's amount is
``percent_of(base, bp)`` (half-up) or a flat Rupiah figure, the discount is ``percent_of(amount, bp)``
on each discounted program, and the total is the sum of the rounded parts. The price table has one
row per (month, sector, funding) with those parameters, so SQL can price millions of bills with
integer arithmetic that SQLite and PostgreSQL compute identically.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from jaring.rules.billing import due_date
from jaring.rules.contributions import FUNDING, SECTORS, Quote, Schedule, quote
from jaring.rules.periods import add_months, iter_months, month_index

from .rates import current_schedule

PRICE_TABLE = "jaring_price"


def member_quote(member, month: date, schedule: Schedule | None = None) -> Quote:
    return quote(schedule or current_schedule(), member.income, member.programs, month, member.sector or "other",
                 member.funding or "self")


def _program_params(schedule: Schedule, program: str, month: date, sector: str, funding: str):
    rate = schedule.rate(program, month)
    pct = rate.value if rate.basis == "percent_bp" else 0
    flat = rate.value if rate.basis != "percent_bp" else 0
    d = schedule.discount_for(program, month, sector, funding)
    return pct, flat, (d.percent_bp if d else 0)


def price_rows(schedule: Schedule, start: date, end: date) -> list[tuple]:
    rows = []
    for m in iter_months(start, end):
        for sector in SECTORS:
            for funding in FUNDING:
                params = []
                for program in ("JKK", "JKM", "JHT"):
                    params.extend(_program_params(schedule, program, m, sector, funding))
                rows.append((month_index(m), m.isoformat(), due_date(m).isoformat(), sector, funding, *params))
    return rows


def base_sql(schedule: Schedule, month_from: date, income_col: str = "m.income") -> str:
    """SQL for the contribution base of a declared income (the official step table when loaded)."""
    band = schedule.band(month_from)
    if not band.steps:
        return income_col
    parts = " ".join(f"WHEN {income_col} >= {int(lo)} THEN {int(nom)}" for lo, nom in sorted(band.steps, reverse=True))
    return f"(CASE {parts} ELSE {income_col} END)"


def create_price_table(start: date, end: date, schedule: Schedule | None = None) -> Schedule:
    """(Re)create the temporary price table for months ``start``..``end`` in this connection."""
    schedule = schedule or current_schedule()
    rows = price_rows(schedule, start, end)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {PRICE_TABLE}")
        cur.execute(f"""CREATE TEMPORARY TABLE {PRICE_TABLE} (
            midx integer NOT NULL, month date NOT NULL, due_date date NOT NULL, sector varchar(10) NOT NULL,
            funding varchar(8) NOT NULL,
            jkk_pct bigint NOT NULL, jkk_flat bigint NOT NULL, jkk_off bigint NOT NULL,
            jkm_pct bigint NOT NULL, jkm_flat bigint NOT NULL, jkm_off bigint NOT NULL,
            jht_pct bigint NOT NULL, jht_flat bigint NOT NULL, jht_off bigint NOT NULL,
            PRIMARY KEY (sector, funding, midx))""")
        cur.executemany(f"INSERT INTO {PRICE_TABLE} VALUES ({', '.join(['%s'] * 14)})", rows)
    return schedule


def drop_price_table():
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {PRICE_TABLE}")


def price_columns(base: str, jht_flag: str, p: str = "p") -> dict[str, str]:
    """SQL expressions for jkk, jkm, jht, discount and amount, given a base and the member's JHT flag.

    ``(x * bp + 5000) / 10000`` is percent_of() with half-up rounding (integer division of
    non-negative integers truncates alike in SQLite and PostgreSQL).
    """
    def gross(prog):
        return f"(({base}) * {p}.{prog}_pct + 5000) / 10000 + {p}.{prog}_flat"

    def off(prog):
        return f"(({gross(prog)}) * {p}.{prog}_off + 5000) / 10000"

    jkk_g, jkm_g = gross("jkk"), gross("jkm")
    jht_g = f"(CASE WHEN {jht_flag} THEN {gross('jht')} ELSE 0 END)"
    jht_o = f"(CASE WHEN {jht_flag} THEN {off('jht')} ELSE 0 END)"
    jkk = f"({jkk_g} - {off('jkk')})"
    jkm = f"({jkm_g} - {off('jkm')})"
    jht = f"({jht_g} - {jht_o})"
    discount = f"({off('jkk')} + {off('jkm')} + {jht_o})"
    return {"jkk": jkk, "jkm": jkm, "jht": jht, "discount": discount, "amount": f"({jkk} + {jkm} + {jht})"}


def month_index_sql(expr: str) -> str:
    """SQL for months since year 0 of a DATE column (matches rules.periods.month_index)."""
    if connection.vendor == "postgresql":
        # date_part (double precision) is much cheaper than EXTRACT (numeric since PostgreSQL 14)
        return f"(CAST(date_part('year', {expr}) AS integer) * 12 + CAST(date_part('month', {expr}) AS integer) - 1)"
    return f"(CAST(substr({expr}, 1, 4) AS integer) * 12 + CAST(substr({expr}, 6, 2) AS integer) - 1)"


def month_range_for(first: date, last: date) -> tuple[date, date]:
    return first.replace(day=1), add_months(last.replace(day=1), 0)
