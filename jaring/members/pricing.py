"""What a member pays and whether they are covered: answered by the contributions app, which sits above
members in the layer order (docs/architecture.md) and registers its functions here when it starts
(``jaring.contributions.apps``)."""

from __future__ import annotations

_IMPL: dict[str, object] = {}


def register(*, schedule, quote, coverage_on, income_error) -> None:
    """``schedule() -> rules Schedule``, ``quote(income, programs, month, sector, funding="self")``,
    ``coverage_on(member, on) -> dict`` and ``income_error(month=None) -> str`` (the income-band refusal in
    the page's language)."""
    _IMPL.update(schedule=schedule, quote=quote, coverage_on=coverage_on, income_error=income_error)


def schedule():
    return _IMPL["schedule"]()


def quote(*args, **kwargs):
    """``quote_contribution(income, programs, month=None, sector="other", funding="self")``."""
    return _IMPL["quote"](*args, **kwargs)


def coverage_on(member, on) -> dict:
    return _IMPL["coverage_on"](member, on)


def income_error(month=None) -> str:
    return _IMPL["income_error"](month)
