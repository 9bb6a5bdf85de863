"""Writes of the outreach app: campaigns, events, leads and their conversion into members."""

from __future__ import annotations

from datetime import date

import lokal
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import role_of
from jaring.agents.services import attribute_member
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.members.models import Occupation
from jaring.members.services import register_member
from jaring.regions.models import BranchOffice, Region
from jaring.regions.selectors import branch_for_region, normalize_code

from .models import Campaign, CampaignKind, Event, EventKind, Lead, LeadStatus


def _date(value, field: str, errors: dict) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = "Isi tanggal dengan format TTTT-BB-HH, mis. 2026-06-01."
        return None

def user_branches(user) -> set[str] | None:
    """Branches a user works for: None = every branch (national). Agents: their agent record's branch."""
    scope = scope_for(user)
    if scope.national:
        return None
    if scope.branch_codes:
        return set(scope.branch_codes)
    agent = getattr(user, "agent", None) if role_of(user) == Role.AGENT else None
    return {agent.branch_id} if agent else set()

def create_campaign(data: dict, *, actor) -> Campaign:
    """A campaign with a period, the branches that run it and its targets."""

    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if len(name) < 3:
        errors["name"] = "Isi nama kampanye (minimal 3 huruf)."
    kind = data.get("kind") or ""
    if kind not in CampaignKind.values:
        errors["kind"] = "Pilih jenis kampanye: " + ", ".join(str(label) for _, label in CampaignKind.choices) + "."
    starts = _date(data.get("starts_on"), "starts_on", errors)
    ends = _date(data.get("ends_on"), "ends_on", errors)
    if starts and ends and ends < starts:
        errors["ends_on"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
    codes = data.get("branches") or []
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    branches = list(BranchOffice.objects.filter(code__in=codes))
    allowed = user_branches(actor)
    if not codes:
        errors["branches"] = "Pilih minimal satu kantor cabang pelaksana."
    elif len(branches) != len(set(codes)):
        errors["branches"] = "Ada kode kantor cabang yang tidak dikenal."
    elif allowed is not None and not {b.code for b in branches} <= allowed:
        errors["branches"] = "Anda hanya dapat memilih kantor cabang dalam wewenang Anda."
    targets = {}
    for f in ("target_leads", "target_registrations"):
        try:
            targets[f] = int(data.get(f) or 0)
            if targets[f] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[f] = "Isi target dengan bilangan bulat 0 atau lebih."
    if errors:
        raise DomainError("Kampanye belum bisa disimpan; perbaiki kolom yang ditandai.", errors)
    base = slugify(data.get("code") or f"{name}-{starts:%Y%m}")[:34] or "kampanye"
    code, n = base, 1
    while Campaign.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    with transaction.atomic():
        c = Campaign.objects.create(code=code, name=name, kind=kind, starts_on=starts, ends_on=ends,
                                    description=(data.get("description") or "").strip(), created_by=actor,
                                    **targets)
        c.branches.set(branches)
        audit.record(actor, "outreach.campaign.create", c, changes={"name": [None, name], "kind": [None, kind]})
    return c

def check_campaign_access(user, campaign: Campaign) -> None:
    allowed = user_branches(user)
    if allowed is None:
        return
    if not set(campaign.branches.values_list("code", flat=True)) & allowed:
        raise Forbidden("Kampanye ini dijalankan kantor cabang lain.")

def create_event(campaign: Campaign, data: dict, *, actor) -> Event:
    """An event of the campaign at a village or market, with the officers and agents who staff it."""
    from django.contrib.auth import get_user_model

    check_campaign_access(actor, campaign)
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if len(name) < 3:
        errors["name"] = "Isi nama kegiatan, mis. 'KKBC Masuk Desa Alalak Tengah'."
    kind = data.get("kind") or EventKind.VILLAGE
    if kind not in EventKind.values:
        errors["kind"] = "Pilih tempat: desa, pasar atau lainnya."
    day = _date(data.get("date"), "date", errors)
    if day and not (campaign.starts_on <= day <= campaign.ends_on):
        errors["date"] = (f"Tanggal kegiatan harus dalam periode kampanye "
                          f"{campaign.starts_on:%d-%m-%Y} s.d. {campaign.ends_on:%d-%m-%Y}.")
    village = Region.objects.filter(code=normalize_code(data.get("village_code") or ""), level=4).first()
    branch = None
    if village is None:
        errors["village_code"] = "Pilih desa/kelurahan tempat kegiatan (kode 10 digit)."
    else:
        branch = branch_for_region(village.code)
        if branch is None or not campaign.branches.filter(code=branch.code).exists():
            errors["village_code"] = "Desa ini tidak dilayani kantor cabang pelaksana kampanye."
    User = get_user_model()
    people = {}
    for field, role in (("officers", Role.OFFICER), ("agents", Role.AGENT)):
        names = data.get(field) or []
        if isinstance(names, str):
            names = [x.strip() for x in names.split(",") if x.strip()]
        users = list(User.objects.filter(username__in=names, profile__role=role))
        if len(users) != len(set(names)):
            known = {u.username for u in users}
            errors[field] = "Tidak dikenal atau bukan " + ("petugas" if role == Role.OFFICER else "agen") + ": " + \
                ", ".join(sorted(set(names) - known))
        people[field] = users
    if errors:
        raise DomainError("Kegiatan belum bisa disimpan; perbaiki kolom yang ditandai.", errors)
    with transaction.atomic():
        ev = Event.objects.create(campaign=campaign, name=name, kind=kind, village=village, branch=branch,
                                  place=(data.get("place") or "").strip(), date=day, created_by=actor)
        ev.officers.set(people["officers"])
        ev.agents.set(people["agents"])
        audit.record(actor, "outreach.event.create", ev, changes={"campaign": [None, campaign.code],
                                                                 "village": [None, village.code]})
    return ev

@transaction.atomic
def record_talk(event: Event, *, attendance, given_on=None, actor) -> Event:
    """Record that the benefit talk was given at the event and how many people attended (re-recording
    corrects the figures; the audit trail keeps the old ones)."""
    check_event_access(actor, event)
    errors: dict[str, str] = {}
    try:
        attendance = int(attendance)
        if attendance < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["attendance"] = "Isi jumlah hadirin: bilangan bulat 0 atau lebih."
    day = _date(given_on or event.date, "given_on", errors)
    if day and day > timezone.localdate():
        errors["given_on"] = "Tanggal penyuluhan tidak boleh di masa depan."
    if errors:
        raise DomainError("Penyuluhan belum bisa dicatat; perbaiki kolom yang ditandai.", errors)
    before = {"talk_given_on": event.talk_given_on and event.talk_given_on.isoformat(), "attendance": event.attendance}
    event.talk_given_on, event.attendance = day, attendance
    event.talk_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    event.save(update_fields=["talk_given_on", "attendance", "talk_recorded_by"])
    audit.record(actor, "outreach.event.talk", event, changes=audit.diff(
        before, {"talk_given_on": day.isoformat(), "attendance": attendance}))
    return event

def check_event_access(user, event: Event) -> None:
    role = role_of(user)
    if role == Role.AGENT:
        if not event.agents.filter(pk=user.pk).exists() and user_branches(user) != {event.branch_id}:
            raise Forbidden("Anda tidak ditugaskan di kegiatan ini.")
        return
    allowed = user_branches(user)
    if allowed is not None and event.branch_id not in allowed:
        raise Forbidden("Kegiatan ini milik kantor cabang lain.")

def capture_lead(event: Event, data: dict, *, actor) -> Lead:
    """Record a worker met at an event. Consent is required; one lead per phone number per event."""

    check_event_access(actor, event)
    errors: dict[str, str] = {}
    name = " ".join((data.get("name") or "").split())
    if len(name) < 2:
        errors["name"] = "Isi nama calon peserta."
    info = lokal.parse_phone(str(data.get("phone") or ""))
    phone = ""
    if not info.valid or info.type != "mobile":
        errors["phone"] = "Isi nomor HP seluler yang aktif, mis. 0812-3456-7890."
    else:
        phone = info.e164
    occupation = data.get("occupation") or ""
    if occupation not in Occupation.values:
        errors["occupation"] = "Pilih pekerjaan calon peserta."
    village_code = data.get("village_code") or event.village_id
    village = Region.objects.filter(code=normalize_code(village_code), level=4).first()
    if village is None:
        errors["village_code"] = "Pilih desa/kelurahan tempat tinggal (kode 10 digit)."
    consent = str(data.get("consent")).lower() in ("1", "true", "on", "yes", "ya")
    if not consent:
        errors["consent"] = ("Calon peserta harus setuju dihubungi dan datanya disimpan; centang persetujuan "
                             "setelah menjelaskannya.")
    if errors:
        raise DomainError("Prospek belum bisa disimpan; perbaiki kolom yang ditandai.", errors)
    agent = actor if role_of(actor) == Role.AGENT else None
    if agent is None and data.get("agent"):
        agent = event.agents.filter(username=data["agent"]).first()
        if agent is None:
            raise DomainError("Agen tidak ditugaskan di kegiatan ini.", {"agent": "pilih agen kegiatan ini"})
    try:
        with transaction.atomic():
            lead = Lead.objects.create(event=event, campaign=event.campaign, agent=agent, captured_by=actor,
                                       name=name, phone=phone, occupation=occupation, village=village,
                                       consent=True, consent_at=timezone.now())
    except IntegrityError:
        raise Conflict("Nomor HP ini sudah dicatat sebagai prospek di kegiatan ini.",
                       {"phone": "sudah tercatat di kegiatan ini"}) from None
    audit.record(actor, "outreach.lead.capture", lead, note=f"event {event.pk}")
    return lead

def convert_lead(lead: Lead, data: dict, *, actor):
    """Register the lead as a member (members' register_member) and keep the attribution to the lead's
    event, campaign and agent. Agents register as channel 'agent' (pending until an officer verifies);
    officers as 'branch' (active)."""

    check_event_access(actor, lead.event)
    if lead.member_id:
        raise Conflict(f"Prospek ini sudah terdaftar sebagai peserta {lead.member.kpj}.")
    payload = {"name": lead.name, "phone": lead.phone, "occupation": lead.occupation,
               "village_code": lead.village_id, **{k: v for k, v in data.items() if v not in (None, "")}}
    channel = "agent" if role_of(actor) == Role.AGENT else "branch"
    with transaction.atomic():
        member = register_member(payload, actor=actor, channel=channel)
        if lead.agent_id and channel != "agent":
            attribute_member(member, lead.agent)
        Lead.objects.filter(pk=lead.pk).update(member=member, status=LeadStatus.REGISTERED,
                                               converted_at=timezone.now())
        audit.record(actor, "outreach.lead.convert", lead, changes={"member": [None, member.kpj]})
    lead.refresh_from_db()
    return member

def decline_lead(lead: Lead, *, actor, note: str = "") -> Lead:
    check_event_access(actor, lead.event)
    if lead.member_id:
        raise Conflict("Prospek yang sudah terdaftar tidak dapat ditandai tidak berminat.")
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.DECLINED, note=note[:200])
    audit.record(actor, "outreach.lead.decline", lead, note=note[:200])
    lead.refresh_from_db()
    return lead

def get_lead(pk) -> Lead:
    lead = Lead.objects.select_related("event", "campaign", "member").filter(pk=pk).first()
    if lead is None:
        raise NotFound("Prospek tidak ditemukan.")
    return lead
