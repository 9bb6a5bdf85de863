"""The contribution schedule as database rows (admin-editable), loaded from the shipped JSON."""

from __future__ import annotations

from jaring.rules.contributions import Schedule, default_data


def load_schedule_rows(ContributionRate=None, IncomeBand=None, ContributionDiscount=None) -> int:
    """Insert the shipped rows that are missing (never overwrites an administrator's edits)."""
    if ContributionRate is None:
        from .models import ContributionDiscount, ContributionRate, IncomeBand  # noqa: F811
    data = default_data()
    added = 0
    for r in data["rates"]:
        _, c = ContributionRate.objects.get_or_create(
            program=r["program"], valid_from=r["valid_from"],
            defaults={"basis": r["basis"], "value": r["value"], "valid_to": r["valid_to"], "source": r["source"]})
        added += c
    for b in data["income_bands"]:
        _, c = IncomeBand.objects.get_or_create(
            valid_from=b["valid_from"],
            defaults={"minimum": b["minimum"], "maximum": b["maximum"], "valid_to": b["valid_to"],
                      "steps": b.get("steps", []), "source": b["source"]})
        added += c
    for d in data["discounts"]:
        _, c = ContributionDiscount.objects.get_or_create(
            name=d["name"], defaults={k: d[k] for k in ("programs", "percent_bp", "sectors", "from_month",
                                                           "to_month", "excluded_funding", "source")})
        added += c
    return added


SCHEDULE_TTL = 30.0  # seconds a process reuses the schedule it read (other processes see an edit within this)
_cache: dict = {}


def current_schedule() -> Schedule:
    """The schedule as the database holds it (a handful of rows), kept for ``SCHEDULE_TTL`` seconds per process
    so that hot paths (SNAP inquiry and payment) do not read three tables per request; an edit through the
    ORM in this process (admin, ``jaring migrate``) is seen at once (:func:`forget_schedule`)."""
    import time

    hit = _cache.get("schedule")
    now = time.monotonic()
    if hit is not None and now - hit[0] < SCHEDULE_TTL:
        return hit[1]
    schedule = read_schedule()
    _cache["schedule"] = (now, schedule)
    return schedule


def forget_schedule(**kwargs) -> None:
    _cache.pop("schedule", None)


def read_schedule() -> Schedule:
    """The schedule as the database holds it now."""
    from .models import ContributionDiscount, ContributionRate, IncomeBand

    return Schedule.from_dict({
        "rates": list(ContributionRate.objects.values("program", "basis", "value", "valid_from", "valid_to",
                                                      "source")),
        "income_bands": list(IncomeBand.objects.values("minimum", "maximum", "valid_from", "valid_to", "steps",
                                                       "source")),
        "discounts": list(ContributionDiscount.objects.values("name", "programs", "percent_bp", "sectors",
                                                              "from_month", "to_month", "excluded_funding",
                                                              "source")),
    })
