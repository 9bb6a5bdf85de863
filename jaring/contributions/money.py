"""Money breakdowns for pages: one shape for every place that shows what a member pays.

A breakdown lists each program at its **full price**, the discount as its own line, and a total that
adds up: ``sum(lines) - discount == total``. Pages render it with ``{% breakdown obj %}``
(``web/_breakdown.html``); a test sums every rendered breakdown and compares it with the total.

Bills store each program's amount *after* discount (``Bill.jkk`` …) and the discount in one figure, so
the full price per program is recovered from the discount rule of that month (the inverse of
``percent_of``). Where that cannot be matched exactly to the stored discount, the discounted programs
are shown as one line at full price, which still adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jaring.contributions.rates import current_schedule
from jaring.rules.contributions import BP, PROGRAMS, Quote, percent_of
from jaring.rules.periods import parse_month


@dataclass
class Breakdown:
    lines: list[tuple[str, int]] = field(default_factory=list)  # (label, full price) per program
    discount: int = 0
    discount_label: str = ""
    total: int = 0
    month: str = ""
    months: int = 1

    def adds_up(self) -> bool:
        return sum(a for _l, a in self.lines) - self.discount == self.total

def _discount_label() -> str:
    return _("Diskon PP 50/2025")

def _gross_from_net(net: int, bp: int) -> int | None:
    """The full price ``g`` with ``g - percent_of(g, bp) == net``, or None."""
    if bp >= BP:
        return None
    guess = (net * BP) // (BP - bp)
    for g in range(max(guess - 2, net), guess + 3):
        if g - percent_of(g, bp) == net:
            return g
    return None

def _discount_bp(program: str, month) -> int | None:
    for d in current_schedule().discounts:
        if program in d.programs and d.from_month <= month.replace(day=1) <= d.to_month:
            return d.percent_bp
    return None

def of_quote(q: Quote) -> Breakdown:
    gross = q.gross or {}
    nets = {"JKK": q.jkk, "JKM": q.jkm, "JHT": q.jht}
    lines = []
    for p in PROGRAMS:
        full = gross.get(p, nets[p])
        if full:
            lines.append((p, full))
    b = Breakdown(lines, q.discount, _discount_label(), q.total, q.month)
    if not b.adds_up():  # a quote without gross figures: net lines, no separate discount
        b = Breakdown([(p, nets[p]) for p in PROGRAMS if nets[p]], 0, "", q.total, q.month)
    return b

def of_bills(bills) -> Breakdown:
    """One breakdown over one or more bills (a payment's months): full price per program, summed."""
    bills = list(bills)
    full = {p: 0 for p in PROGRAMS}
    discount = total = 0
    exact = True
    for bill in bills:
        nets = {"JKK": bill.jkk, "JKM": bill.jkm, "JHT": bill.jht}
        off_here = 0
        gross_here = dict(nets)
        if bill.discount:
            for p, net in nets.items():
                bp = _discount_bp(p, bill.month) if net else None
                if bp:
                    g = _gross_from_net(net, bp)
                    if g is None:
                        exact = False
                        break
                    gross_here[p] = g
                    off_here += g - net
            if off_here != bill.discount:
                exact = False
        for p in PROGRAMS:
            full[p] += gross_here[p]
        discount += bill.discount
        total += bill.amount
    months = len(bills)
    month = f"{bills[0].month:%Y-%m}" if bills else ""
    if exact:
        lines = [(p, full[p]) for p in PROGRAMS if full[p]]
    else:  # the stored discount does not match the rule: one line of full price for all programs
        lines = [(" + ".join(p for p in PROGRAMS if full[p]), total + discount)]
    return Breakdown(lines, discount, _discount_label() if discount else "", total, month, months)

def breakdown_of(obj) -> Breakdown:
    if isinstance(obj, Breakdown):
        return obj
    if isinstance(obj, Quote):
        return of_quote(obj)
    if hasattr(obj, "jkk") and hasattr(obj, "amount"):
        return of_bills([obj])
    return of_bills(obj)

def rupiah_text(n: int) -> str:
    return "Rp" + f"{int(n):,}".replace(",", ".")

def income_error(month=None) -> str:
    """The income-band refusal in the page's language (the rule's own message is Indonesian only)."""
    from django.utils import timezone

    if isinstance(month, str):
        month = parse_month(month)
    band = current_schedule().band((month or timezone.localdate()).replace(day=1))
    return _("Penghasilan sebulan harus angka Rupiah bulat antara %(min)s dan %(max)s.") % {
        "min": rupiah_text(band.minimum), "max": rupiah_text(band.maximum)}
