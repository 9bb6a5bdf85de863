"""Realistic synthetic members for `jaring seed`, the demo and benchmarks.

Names from small Indonesian name lists, NIKs consistent with the district of the village (with the birth
date and +40 for women), ages 18–64 at registration, occupations close to Sakernas shares and provinces
weighted like the workforce (``data/synthetic.json``). Inserts are set-based (one KPJ block, bulk_create).
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

from django.db import transaction

from jaring.core import audit
from jaring.regions.models import Region
from jaring.rules.periods import add_months

from . import services
from .models import TRANSPORT_OCCUPATIONS, Member

BATCH = 2_000


def weights() -> dict:
    return json.loads(resources.files("jaring.members").joinpath("data", "synthetic.json").read_text("utf-8"))

class Generator:
    """Draws people; ``villages`` maps a province code to its village codes (fetched once)."""

    def __init__(self, rng: random.Random, *, region_prefixes=None, today: date | None = None):
        self.rng = rng
        self.w = weights()
        self.today = today or services.today()
        qs = Region.objects.filter(level=Region.VILLAGE)
        codes = list(qs.values_list("code", flat=True))
        self.villages: dict[str, list[str]] = defaultdict(list)
        for c in codes:
            self.villages[c[:2]].append(c)
        self.prefixes = region_prefixes
        self.branches = dict(Region.objects.filter(level=Region.REGENCY).values_list("code", "branch_id"))
        prov = {k: v for k, v in self.w["provinces"]["weights"].items() if self.villages.get(k)}
        self.prov_codes, self.prov_weights = list(prov), list(prov.values())
        occ = self.w["occupations"]["weights"]
        self.occ_codes, self.occ_weights = list(occ), list(occ.values())
        ch = self.w["channels"]["weights"]
        self.ch_codes, self.ch_weights = list(ch), list(ch.values())
        self.used: set[str] = set()

    def village(self) -> str:
        if self.prefixes:
            prefix, = self.rng.choices([p for p, _w in self.prefixes], [w for _p, w in self.prefixes])
            pool = [c for c in self.villages[prefix[:2]] if c.startswith(prefix)]
            return self.rng.choice(pool)
        prov, = self.rng.choices(self.prov_codes, self.prov_weights)
        return self.rng.choice(self.villages[prov])

    def person(self, registered_on: date) -> dict:
        rng = self.rng
        village = self.village()
        gender = rng.choice("LP")
        age_days = rng.randint(18 * 366, 64 * 365)
        birth = registered_on - timedelta(days=age_days)
        nik = self._nik(village, birth, gender)
        names = self.w["names"]
        first = rng.choice(names["male"] if gender == "L" else names["female"])
        name = first if rng.random() < 0.3 else f"{first} {rng.choice(names['family'])}"
        occupation, = rng.choices(self.occ_codes, self.occ_weights)
        second = ""
        if rng.random() < 0.12:
            second = rng.choice([o for o in self.occ_codes if o != occupation])
        prefix = rng.choice(self.w["phone_prefixes"]["values"])
        phone_digits = "62" + prefix[1:] + f"{rng.randint(0, 10**8 - 1):08d}"
        income = 1_000_000 if rng.random() < 0.55 else rng.choice(range(1_100_000, 5_000_001, 100_000))
        return {"nik": nik, "name": name, "birth_date": birth, "gender": gender, "village_code": village,
                "phone": "+" + phone_digits, "whatsapp": phone_digits, "occupation": occupation,
                "second_occupation": second, "income": income,
                "jht": rng.random() < self.w["jht_share"]["value"]}

    def _nik(self, village: str, birth: date, gender: str) -> str:
        district = village[:8].replace(".", "")
        day = birth.day + (40 if gender == "P" else 0)
        stem = f"{district}{day:02d}{birth:%m%y}"
        for _ in range(50):
            nik = f"{stem}{self.rng.randint(1, 9999):04d}"
            if nik not in self.used:
                self.used.add(nik)
                return nik
        raise RuntimeError("no free NIK serial")  # pragma: no cover - 9,999 serials per district and birth date

    def place(self, village: str) -> services.Place:
        p = village.split(".")
        regency = ".".join(p[:2])
        return services.Place(village, ".".join(p[:3]), regency, p[0], self.branches.get(regency))

    def channel(self) -> str:
        return self.rng.choices(self.ch_codes, self.ch_weights)[0]

def _drop_taken(people: list[dict]) -> list[dict]:
    niks = [p["nik"] for p in people]
    taken = set()
    for i in range(0, len(niks), 500):
        taken.update(Member.objects.filter(nik__in=niks[i:i + 500]).values_list("nik", flat=True))
    return [p for p in people if p["nik"] not in taken]

@dataclass
class Seeded:
    """What a seed run made: the member ids (for payment history), counts, and the objects when kept."""

    ids: list = field(default_factory=list)
    members: list = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    by_occupation: Counter = field(default_factory=Counter)
    by_province: Counter = field(default_factory=Counter)
    women: int = 0

    def add(self, rows: list[Member], keep: bool) -> None:
        self.ids.extend(m.pk for m in rows)
        self.by_status.update(m.status for m in rows)
        self.by_occupation.update(m.occupation for m in rows)
        self.by_province.update(m.province_code for m in rows)
        self.women += sum(m.gender == "P" for m in rows)
        if keep:
            self.members.extend(rows)

    def summary(self) -> dict:
        return {"members": len(self.ids), "by_status": dict(self.by_status),
                "by_occupation": dict(self.by_occupation.most_common()),
                "top_provinces": dict(self.by_province.most_common(5)), "women": self.women}

def create_members(count: int, *, months: int = 0, seed: int | None = None, region_prefixes=None,
                   progress=None, statuses=None, actor_for_channel=None, today: date | None = None,
                   audit_note: str = "", keep: bool = False) -> Seeded:
    """Generate and insert ``count`` members registered over the last ``months`` months, in batches of
    2,000 (one KPJ block and one bulk_create each). Only ids and counts are kept unless ``keep``, so a
    million members do not sit in memory."""
    rng = random.Random(seed)
    gen = Generator(rng, region_prefixes=region_prefixes, today=today)
    today = gen.today
    first = add_months(today.replace(day=1), -max(months - 1, 0))
    span = max((today - first).days, 0)
    out = Seeded()
    while len(out.ids) < count:
        n = min(BATCH, count - len(out.ids))
        people = []
        for _ in range(n):
            reg = first + timedelta(days=rng.randint(0, span))
            p = gen.person(reg)
            p["registered_on"] = reg
            people.append(p)
        people = [p for p in _drop_taken(people) if gen.place(p["village_code"]).branch_id]
        if not people:
            continue
        with transaction.atomic():
            kpjs = services.allocate_kpj(len(people))
            rows = []
            for p, kpj in zip(people, kpjs):
                channel = gen.channel()
                funding = "sponsor" if channel == "sponsor_import" else ("apbd" if rng.random() < 0.05 else "self")
                cleaned = dict(p, place=gen.place(p["village_code"]),
                               sector="transport" if p["occupation"] in TRANSPORT_OCCUPATIONS else "other")
                m = services.build_member(cleaned, kpj=kpj, on=p["registered_on"], channel=channel, funding=funding,
                                          actor=actor_for_channel(channel) if actor_for_channel else None)
                m.status = statuses(rng, p["registered_on"]) if statuses else (
                    "pending" if p["registered_on"] >= today - timedelta(days=7) and rng.random() < 0.3
                    else "active")
                rows.append(m)
            Member.objects.bulk_create(rows, batch_size=BATCH)
            _ensure_pks(rows)
            if audit_note:
                _audit(rows, audit_note)
        out.add(rows, keep)
        if progress:
            progress(f"peserta: {len(out.ids)}/{count}")
    return out

def _ensure_pks(rows: list[Member]) -> None:
    if not all(m.pk for m in rows):  # backends that do not return ids from bulk inserts
        ids = dict(Member.objects.filter(kpj__in=[m.kpj for m in rows]).values_list("kpj", "pk"))
        for m in rows:
            m.pk = m.id = ids[m.kpj]

def _audit(rows: list[Member], note: str) -> None:
    audit.record_many([
        audit.event(m.created_by, "member.register", m,
                    changes={"kpj": [None, m.kpj], "status": [None, m.status], "channel": [None, m.channel]},
                    note=note) for m in rows], batch_size=BATCH)

def import_rows_for_bench(count: int, seed: int = 1) -> list[dict]:
    """``count`` valid rows as a person would upload them (strings), for the import benchmark."""
    rng = random.Random(seed)
    gen = Generator(rng)
    out = []
    for i in range(count):
        p = gen.person(gen.today)
        out.append({"nik": p["nik"], "name": p["name"], "birth_date": p["birth_date"].isoformat(),
                    "gender": p["gender"], "phone": "0" + p["whatsapp"][2:], "village_code": p["village_code"],
                    "occupation": p["occupation"], "income": str(p["income"]),
                    "programs": "JKK,JKM,JHT" if p["jht"] else "JKK,JKM", "_row": i + 2})
    return out
