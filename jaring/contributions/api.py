from ninja import Router, Schema

from .services import quote_contribution

router = Router(tags=["contributions"])


class QuoteOut(Schema):
    month: str
    jkk: int
    jkm: int
    jht: int
    total: int
    discount: int


@router.get("/quote", response=QuoteOut, auth=None, summary="Monthly contribution for an income and programs")
def get_quote(request, income: int, programs: str = "JKK,JKM", month: str | None = None, sector: str = "other",
              funding: str = "self"):
    """Integer Rupiah per month after any PP 50/2025 discount (``discount`` is the Rupiah taken off).
    ``programs`` is comma-separated and must include JKK and JKM; JHT is optional.
    ``month`` (YYYY-MM) defaults to the current month; ``sector`` is ``transport`` or ``other``;
    ``funding`` is ``self``, ``sponsor``, ``apbd`` or ``apbn`` (APBD/APBN get no discount)."""
    return quote_contribution(income, programs, month, sector, funding).as_dict()
