"""Who may register as a BPU member (SPEC 2.1): age at registration and number of economic activities.

Pure Python. The figures are effective-dated rows in ``rules/data/registration.json``; the income range
is not repeated here, it comes from the contribution schedule (:func:`jaring.rules.contributions.check_income`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

from .errors import RuleError


@dataclass(frozen=True)
class RegistrationRule:
    valid_from: date
    valid_to: date | None
    min_age: int
    max_age: int
    max_activities: int
    sources: dict

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


def _d(v):
    return None if v is None else date.fromisoformat(v)


def rules_from_dict(data: dict) -> tuple[RegistrationRule, ...]:
    return tuple(
        RegistrationRule(_d(r["valid_from"]), _d(r.get("valid_to")), int(r["min_age"]), int(r["max_age"]),
                         int(r["max_activities"]),
                         {k: v for k, v in r.items() if k.endswith("_source")})
        for r in data["rules"]
    )


_DEFAULT: tuple[RegistrationRule, ...] | None = None


def default_rules() -> tuple[RegistrationRule, ...]:
    global _DEFAULT
    if _DEFAULT is None:
        raw = resources.files("jaring.rules").joinpath("data", "registration.json").read_text("utf-8")
        _DEFAULT = rules_from_dict(json.loads(raw))
    return _DEFAULT


def rule_on(on: date, rules: tuple[RegistrationRule, ...] | None = None) -> RegistrationRule:
    for r in rules or default_rules():
        if r.covers(on):
            return r
    raise RuleError(f"Belum ada aturan pendaftaran yang berlaku pada {on.isoformat()}.",
                    {"registered_on": "Aturan pendaftaran belum ada untuk tanggal ini."})


def age_on(birth_date: date, on: date) -> int:
    """Whole years completed on ``on`` (a person born 29 February turns a year older on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def check_age(birth_date: date, on: date, rules=None) -> int:
    """The age at registration, or a RuleError on ``birth_date`` when outside the allowed range."""
    r = rule_on(on, rules)
    if birth_date > on:
        msg = "Tanggal lahir tidak boleh di masa depan."
        raise RuleError(msg, {"birth_date": msg})
    age = age_on(birth_date, on)
    if age < r.min_age:
        msg = f"Umur saat mendaftar minimal {r.min_age} tahun; umur Anda {age} tahun."
        raise RuleError(msg, {"birth_date": msg})
    if age > r.max_age:
        msg = (f"Umur saat mendaftar paling tinggi {r.max_age} tahun (belum 65); umur Anda {age} tahun.")
        raise RuleError(msg, {"birth_date": msg})
    return age


def check_activities(activities, on: date, rules=None) -> tuple[str, ...]:
    """Distinct, non-empty economic activities; at least one, at most the rule's maximum."""
    r = rule_on(on, rules)
    items = tuple(dict.fromkeys(a for a in (str(x or "").strip() for x in activities) if a))
    if not items:
        msg = "Pilih pekerjaan (kegiatan ekonomi) Anda saat ini."
        raise RuleError(msg, {"occupation": msg})
    if len(items) > r.max_activities:
        msg = f"Paling banyak {r.max_activities} kegiatan ekonomi yang boleh didaftarkan."
        raise RuleError(msg, {"second_occupation": msg})
    return items
