"""Claims pages: benefit simulation (public), members' claims, officers' queue, managers' report."""

from __future__ import annotations

from django.shortcuts import render

from jaring.rules import benefits as rules
from jaring.rules.errors import RuleError

from .labels import SCENARIOS, component_rows

SIM_FIELDS = ("wage", "children", "percent", "months", "consecutive_paid_months", "contribution_months",
              "balance", "monthly_contribution", "years", "annual_rate")


def _sim_params(request) -> dict:
    data = request.GET
    params = {"scenario": data.get("scenario") or "jkk_death"}
    defaults = {"wage": "1000000", "children": "2", "percent": "10", "months": "14",
                "consecutive_paid_months": "3", "contribution_months": "36", "balance": "0",
                "monthly_contribution": "20000", "years": "10", "annual_rate": ""}
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is not None:
        defaults["wage"] = str(member.income)
        defaults["monthly_contribution"] = str(member.income * 2 // 100) if member.jht else "0"
        try:
            from jaring.savings.selectors import balance_of

            defaults["balance"] = str(balance_of(member))
        except Exception:  # the savings app is optional for the simulation
            pass
    for f in SIM_FIELDS:
        params[f] = data.get(f, defaults[f])
    return params


def _body(params: dict) -> dict:
    scenario = params["scenario"]
    def num(name, cast=int):
        v = (params.get(name) or "").strip()
        if v == "":
            return None
        try:
            return cast(v)
        except ValueError:
            return v  # the rule says what is wrong with it
    if scenario == "jht":
        return {"program": "JHT", "balance": num("balance") or 0, "monthly_contribution": num("monthly_contribution") or 0,
                "years": num("years"), "annual_rate": num("annual_rate", float)}
    if scenario == "jkm_death":
        return {"program": "JKM", "consecutive_paid_months": num("consecutive_paid_months"),
                "contribution_months": num("contribution_months"), "children": num("children")}
    case = scenario.removeprefix("jkk_")
    return {"program": "JKK", "case": case, "wage": num("wage"), "percent": num("percent", float),
            "months": num("months"), "children": num("children")}


def _estimate_context(params: dict) -> dict:
    ctx = {"params": params, "scenarios": SCENARIOS}
    try:
        result = rules.estimate(_body(params))
        ctx["result"] = result
        ctx["rows"] = component_rows(result["components"])
    except RuleError as e:
        ctx["error"] = e.message
    return ctx


def simulate(request):
    return render(request, "claims/simulate.html", _estimate_context(_sim_params(request)))


def simulate_result(request):
    return render(request, "claims/_estimate.html", _estimate_context(_sim_params(request)))
