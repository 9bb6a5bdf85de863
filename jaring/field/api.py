"""The field app over HTTP: what the phone downloads to work offline, and the batch its queue sends."""

from __future__ import annotations

from datetime import date

from django.views.decorators.gzip import gzip_page
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict
from ninja.decorators import decorate_view

from . import selectors, services

router = Router(tags=["field"])


class EntryIn(BaseModel):  # a plain pydantic model: ninja's Schema would drop the extra fields
    """``{"key", "kind", "data"}``; ``idempotency_key`` is accepted for ``key``, ``kind`` defaults to ``member``,
    and a member's fields may also come at the entry's top level instead of under ``data``."""

    model_config = ConfigDict(extra="allow")

    key: str | None = None
    idempotency_key: str | None = None
    kind: str = "member"
    data: dict | None = None

    def as_entry(self) -> dict:
        raw = self.model_dump()
        data = self.data if self.data is not None else {
            k: v for k, v in raw.items() if k not in ("key", "idempotency_key", "kind", "data")}
        return {"key": self.key or self.idempotency_key or "", "kind": self.kind, "data": data}


class BatchIn(Schema):
    entries: list[EntryIn]


class EntryOut(Schema):
    key: str
    kind: str
    outcome: str
    kpj: str = ""
    name: str = ""
    status: str | None = None
    amount: int | None = None
    months: int | None = None
    reference: str | None = None
    detail: str = ""
    errors: dict[str, str] = {}
    replayed: bool = False


class BatchOut(Schema):
    results: list[EntryOut]
    counts: dict[str, int]


class FieldUser(Schema):
    username: str
    name: str
    role: str
    agent_code: str
    can_collect: bool


class Branch(Schema):
    code: str
    name: str


class FieldRules(Schema):
    age_min: int
    age_max: int
    max_activities: int
    income_min: int
    income_max: int
    programs_required: list[str]
    programs_optional: list[str]
    months_max: int


class OccupationOut(Schema):
    value: str
    label: str
    sector: str


class SetupOut(Schema):
    user: FieldUser
    today: date
    branches: list[Branch]
    rules: FieldRules
    occupations: list[OccupationOut]
    provinces: list[str]
    districts: dict[str, str]
    villages: list[list[str]]
    batch_size: int
    max_batch: int


@router.get("/field/setup", response=SetupOut, summary="What the field app keeps on the phone to work offline")
@decorate_view(gzip_page)
def setup(request):
    """For an agent or an officer (403 otherwise): the caller, today's registration rules as the server holds
    them (age range, income band of the current month, programs), the occupations, the province codes a NIK may
    start with, and the districts and villages (`[code, name, district_code]`) of the caller's branch — the
    agent's branch, or the officer's office. The phone checks a registration against these with no connection;
    a NIK from a district outside the area, and a duplicate NIK, are checked when the entry is sent."""
    return selectors.setup_for(request.auth)


@router.post("/field/batches", response=BatchOut, summary="Send the field app's queued entries")
def send_batch(request, payload: BatchIn):
    """Up to 50 entries queued on the phone, applied in order, each at most once per idempotency key.

    Each entry is `{"key", "kind", "data"}`: `key` is made by the phone (8–64 letters, digits, `-`, `_`), unique
    per user (`idempotency_key` is accepted for it; a registration's fields may also sit at the entry's top level); `kind` is `member` (data as `POST /api/v1/members`: `nik`, `name`, `birth_date`, `gender`, `phone`,
    `village_code`, `occupation`, `sector`, `income`, `programs`) or `collection` (cash an agent collected:
    `customer` KPJ or NIK, `months` 1–12, `amount` in Rupiah, checked against the months owed).

    One answer per entry, in order, with `outcome`:
    * `registered` — with the `kpj` (agents: channel `agent`, status `pending`; officers: channel `branch`, active);
    * `collected` — posted as an agent-channel payment (`amount`, `months`, `reference`);
    * `already_member` — the NIK belongs to a member: their `kpj` and masked `name`;
    * `needs_correction` — `errors` per field, in Bahasa Indonesia; nothing was saved.

    Sending a key again (a lost answer, a batch sent twice, two batches at once) does nothing and answers as the
    first time, with `replayed: true`; the same key with other content is `needs_correction` on `key`. An entry
    that did not take effect leaves no trace, so the phone may correct and send it again under a new key.
    Session (with CSRF token) or bearer token; agents and officers only (403 otherwise)."""
    results = services.submit_batch(request.auth, [e.as_entry() for e in payload.entries])
    counts: dict[str, int] = {}
    for r in results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    return {"results": results, "counts": counts}
