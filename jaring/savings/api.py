"""JHT balance and yearly statement for a member (the member, or staff in scope)."""

from typing import Optional

from ninja import Query, Router, Schema

from jaring.api.errors import errors
from jaring.core.errors import NotFound
from jaring.members.selectors import get_member_for

router = Router(tags=["savings"])


class YearOut(Schema):
    year: int
    opening: int
    contributions: int
    returns: int
    withdrawals: int
    closing: int
    return_credited: bool
    rate_bp: Optional[int] = None
    rate_is_assumption: Optional[bool] = None

class BalanceOut(Schema):
    kpj: str
    balance: int
    contributions: int
    returns: int
    withdrawals: int
    opened_on: Optional[str] = None
    years: list[YearOut]

class MonthOut(Schema):
    month: str
    contribution: int
    withdrawal: int

class StatementOut(YearOut):
    kpj: str
    months: list[MonthOut]
    return_adjustments: int = 0
    rate_source: Optional[str] = None

def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "entries"}

@router.get("/members/{kpj}/jht", response={200: BalanceOut, **errors(403, 404)}, summary="JHT balance and yearly summary",
            description="Invariant: balance = contributions + returns − withdrawals. Returns are credited on 31 "
                        "December at the year's declared rate (see the benefit estimate's crediting convention).")
def jht_balance(request, kpj: str):
    from . import selectors

    member = get_member_for(request.user, kpj)
    acc = selectors.account_of(member)
    if acc is None:
        return {"kpj": member.kpj, "balance": 0, "contributions": 0, "returns": 0, "withdrawals": 0, "years": []}
    return {"kpj": member.kpj, "balance": acc.balance, "contributions": acc.contributions, "returns": acc.returns,
            "withdrawals": acc.withdrawals, "opened_on": acc.opened_on.isoformat(),
            "years": selectors.yearly_summary(acc)}

@router.get("/members/{kpj}/jht/statement", response={200: StatementOut, **errors(403, 404)}, summary="JHT statement for one year",
            description="`?year=YYYY`; the PDF is at `/savings/peserta/{kpj}/laporan/{year}.pdf` (signed-in pages).")
def jht_statement(request, kpj: str, year: int = Query(..., ge=1977, le=2100, description="YYYY, 1977–2100")):
    from . import selectors

    member = get_member_for(request.user, kpj)
    acc = selectors.account_of(member)
    if acc is None:
        raise NotFound("Peserta ini belum punya saldo JHT.")
    return {"kpj": member.kpj, **_clean(selectors.statement(acc, year))}
