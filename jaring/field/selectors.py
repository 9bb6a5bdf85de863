"""Reads for the field app: what the phone downloads to check a registration with no connection."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from lokal.nik import PROVINCES

from jaring.accounts.scoping import scope_for
from jaring.agents.models import Agent
from jaring.contributions.rates import current_schedule
from jaring.members.models import TRANSPORT_OCCUPATIONS, Occupation
from jaring.regions.models import BranchOffice, Region
from jaring.rules import registration as reg_rules
from jaring.rules.contributions import OPTIONAL_PROGRAMS, REQUIRED_PROGRAMS

from .services import MAX_BATCH, check_field_user

BATCH_SIZE = 10  # entries the phone sends per request: small enough for a weak link


def branches_for(user) -> list[str]:
    """The branches whose villages the phone keeps: an agent's branch, an officer's branch (or region)."""
    agent = Agent.objects.filter(user=user).first()
    if agent is not None:
        return [agent.branch_id]
    scope = scope_for(user)
    if scope.branch_codes:
        return sorted(scope.branch_codes)
    return []


def area(branch_codes: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Villages ``[[code, name, district_code]]`` and districts ``{code: name}`` served by these branches."""
    regencies = list(Region.objects.filter(level=Region.REGENCY, branch_id__in=branch_codes)
                     .values_list("code", flat=True))
    districts: dict[str, str] = {}
    villages: list[list[str]] = []
    for regency in sorted(regencies):
        prefix = regency + "."
        districts.update(Region.objects.filter(level=Region.DISTRICT, code__startswith=prefix)
                         .values_list("code", "name"))
        villages.extend([c, n, c.rsplit(".", 1)[0]] for c, n in
                        Region.objects.filter(level=Region.VILLAGE, code__startswith=prefix)
                        .order_by("name", "code").values_list("code", "name"))
    villages.sort(key=lambda v: (v[1], v[0]))
    return villages, dict(sorted(districts.items()))


def setup_for(user, on: date | None = None) -> dict:
    """Everything the field app needs to work offline for ``user``: who they are, the rules in force today
    (age, income band, programs, activities: the server's data, not constants in the app) and their area."""
    role = check_field_user(user)
    on = on or timezone.localdate()
    rule = reg_rules.rule_on(on)
    band = current_schedule().band(on.replace(day=1))
    agent = Agent.objects.select_related("branch").filter(user=user).first()
    branches = branches_for(user)
    villages, districts = area(branches)
    names = dict(BranchOffice.objects.filter(code__in=branches).values_list("code", "name"))
    return {
        "user": {"username": user.username, "name": user.get_full_name() or (agent.name if agent else user.username),
                 "role": role, "agent_code": agent.code if agent else "", "can_collect": agent is not None},
        "today": on,
        "branches": [{"code": c, "name": names.get(c, c)} for c in branches],
        "rules": {"age_min": rule.min_age, "age_max": rule.max_age, "max_activities": rule.max_activities,
                  "income_min": band.minimum, "income_max": band.maximum,
                  "programs_required": list(REQUIRED_PROGRAMS), "programs_optional": list(OPTIONAL_PROGRAMS),
                  "months_max": 12},
        "occupations": [{"value": v, "label": str(label),
                         "sector": "transport" if v in TRANSPORT_OCCUPATIONS else "other"}
                        for v, label in Occupation.choices],
        "provinces": sorted(PROVINCES),
        "districts": districts,
        "villages": villages,
        "batch_size": BATCH_SIZE,
        "max_batch": MAX_BATCH,
    }
