"""Writes for the field app: a batch of queued entries, each taking effect at most once per idempotency key.

The phone makes a key for every entry it queues (a registration or cash collected). An entry that takes
effect writes a :class:`FieldEntry` row in the same transaction as the member or the payment, under a
unique (user, key) constraint. So a batch sent twice, or two batches racing with the same keys, register
nobody twice: the second insert of a key waits for the first transaction and then fails on the constraint,
and the answer stored with the first is sent again.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.db import IntegrityError, transaction

from jaring.accounts.services import role_of
from jaring.agents import services as agent_services
from jaring.agents.models import Agent
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden
from jaring.members import services as member_services
from jaring.members.models import Channel, Member
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import mask_name

from .models import EntryKind, FieldEntry, Outcome

FIELD_ROLES = ("agent", "officer")
MAX_BATCH = 50
KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MEMBER_FIELDS = ("nik", "name", "birth_date", "gender", "phone", "village_code", "occupation", "sector", "income",
                 "programs", "address")
COLLECTION_FIELDS = ("customer", "months", "amount")

# outcomes sent back that leave no row (the phone shows them; the agent corrects or deletes the entry)
ALREADY_MEMBER = "already_member"
NEEDS_CORRECTION = "needs_correction"


def check_field_user(user) -> str:
    role = role_of(user)
    if role not in FIELD_ROLES:
        raise Forbidden("Aplikasi lapangan hanya untuk agen Perisai dan petugas kantor cabang.")
    return role


def digest(kind: str, data: dict) -> str:
    text = json.dumps({"kind": kind, "data": data}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def submit_batch(user, entries: list[dict]) -> list[dict]:
    """Apply a batch of queued entries in order; one answer per entry (see :func:`submit_entry`)."""
    role = check_field_user(user)
    if len(entries) > MAX_BATCH:
        raise DomainError(f"Paling banyak {MAX_BATCH} entri dalam satu kiriman; kirim sisanya berikutnya.",
                          {"entries": f"Paling banyak {MAX_BATCH} entri."})
    agent = Agent.objects.select_related("branch").filter(user=user).first() \
        if role == "agent" else None
    results = [submit_entry(user, e, role=role, agent=agent) for e in entries]
    counts: dict[str, int] = {}
    for r in results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    audit.record(user, "field.batch", object_type="field.fieldentry", object_id=str(user.pk),
                 changes={k: [None, v] for k, v in sorted(counts.items())},
                 note=f"{len(results)} entri dari aplikasi lapangan")
    return results


def _answer(key: str, kind: str, outcome: str, **extra) -> dict:
    return {"key": key, "kind": kind, "outcome": outcome, "kpj": "", "name": "", "detail": "", "errors": {},
            "replayed": False, **extra}


def submit_entry(user, entry: dict, *, role: str, agent=None) -> dict:
    """One entry: ``{"key", "kind": "member" | "collection", "data": {...}}``.

    Outcomes: ``registered`` (KPJ), ``collected``, ``already_member`` (the NIK belongs to a member: whose, masked)
    and ``needs_correction`` (``errors`` per field, in Bahasa Indonesia). A key that already took effect answers
    as it did then, with ``replayed: true``; the same key with other content needs correction.
    """
    key = str(entry.get("key") or "")
    kind = str(entry.get("kind") or "")
    data = entry.get("data") if isinstance(entry.get("data"), dict) else {}
    if not KEY.match(key):
        return _answer(key, kind, NEEDS_CORRECTION, detail="Kunci entri tidak valid.",
                       errors={"key": "8–64 huruf, angka, - atau _."})
    if kind not in EntryKind.values:
        return _answer(key, kind, NEEDS_CORRECTION, detail="Jenis entri tidak dikenal.",
                       errors={"kind": "member atau collection."})
    allowed = MEMBER_FIELDS if kind == EntryKind.MEMBER else COLLECTION_FIELDS
    data = {k: v for k, v in data.items() if k in allowed}
    sig = digest(kind, data)
    prior = FieldEntry.objects.filter(user=user, key=key).first()
    if prior is not None:
        return _replay(prior, sig)
    try:
        with transaction.atomic():
            row = FieldEntry.objects.create(user=user, key=key, kind=kind, digest=sig, outcome="")
            if kind == EntryKind.MEMBER:
                member, result = _register(user, role, data)
                row.outcome = Outcome.REGISTERED
            else:
                member, result = _collect(user, agent, data, key)
                row.outcome = Outcome.COLLECTED
            answer = _answer(key, kind, row.outcome, **result)
            row.member = member
            row.result = answer
            row.save(update_fields=["outcome", "member", "result"])
        return answer
    except IntegrityError:
        # the same key took effect meanwhile in another request: answer as that one did
        prior = FieldEntry.objects.filter(user=user, key=key).first()
        if prior is None:
            raise
        return _replay(prior, sig)
    except Conflict as e:
        if kind == EntryKind.MEMBER and "nik" in (e.errors or {}):
            holder = _holder(data.get("nik"))
            if holder is not None:
                return _answer(key, kind, ALREADY_MEMBER, kpj=holder.kpj, name=mask_name(holder.name),
                               detail=e.message, errors=e.errors)
        return _answer(key, kind, NEEDS_CORRECTION, detail=e.message, errors=e.errors or {})
    except RuleError as e:
        return _answer(key, kind, NEEDS_CORRECTION, detail=e.message, errors=e.errors or {})


def _replay(prior: FieldEntry, sig: str) -> dict:
    if prior.digest != sig:
        return _answer(prior.key, prior.kind, NEEDS_CORRECTION,
                       detail="Kunci entri ini sudah dipakai untuk data lain; simpan entri sebagai entri baru.",
                       errors={"key": "Sudah dipakai dengan isi berbeda."})
    return {**prior.result, "replayed": True}


def _holder(nik) -> Member | None:
    nik = member_services.normalize_nik(nik)
    return Member.objects.filter(nik=nik).exclude(status__in=member_services.REREGISTRABLE).first()


def _register(user, role: str, data: dict) -> tuple[Member, dict]:
    """The same registration as ``POST /api/v1/members`` for an agent (channel agent) or an officer (branch)."""
    channel = Channel.AGENT if role == "agent" else Channel.BRANCH
    member = member_services.register_member(data, actor=user, channel=channel, funding="self")
    return member, {"kpj": member.kpj, "name": member.name, "status": member.status,
                    "reactivated": bool(getattr(member, "reactivated", False))}


def _customer(value) -> Member:
    text = re.sub(r"[\s.\-]", "", str(value or ""))
    member = None
    if len(text) == 11 and text.isdigit():
        member = Member.objects.filter(kpj=text).first()
    elif len(text) == 16 and text.isdigit():
        member = _holder(text)
    if member is None:
        raise DomainError(f"Peserta dengan KPJ/NIK '{value}' tidak ditemukan; periksa nomornya.",
                          {"customer": "Isi KPJ (11 digit) atau NIK (16 digit) peserta yang terdaftar."})
    return member


def _collect(user, agent, data: dict, key: str) -> tuple[Member, dict]:
    """Cash collected offline: the agents app's collection service, with the entry's key as its reference."""
    if agent is None:
        raise DomainError("Hanya agen Perisai yang mencatat setoran tunai.",
                          {"kind": "Setoran tunai hanya untuk agen."})
    member = _customer(data.get("customer"))
    amount = data.get("amount")
    if amount in (None, ""):
        amount = None
    else:
        try:
            amount = member_services.parse_rupiah(amount)
        except ValueError:
            raise DomainError("Jumlah setoran harus angka Rupiah bulat.", {"amount": "Isi angka Rupiah bulat."})
    col, _created = agent_services.collect(agent, member, data.get("months"), amount=amount, reference=key,
                                           actor=user)
    return member, {"kpj": member.kpj, "name": member.name, "amount": col.amount, "months": col.months,
                    "reference": col.reference}
