"""Members over HTTP: register, read one (NIK masked outside scope), search, verify, update."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from ninja import Router, Schema, Status

from jaring.accounts import policy
from jaring.accounts.services import role_of
from jaring.api.errors import errors
from jaring.api.schemas import InputSchema
from jaring.core.errors import Conflict, Forbidden, NotFound
from jaring.regions.codes import nik_region_of
from jaring.regions.models import Region
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import mask_nik

from . import selectors, services
from .models import Channel, Member

router = Router(tags=["members"])

REGISTRARS = ("worker", "agent", "sponsor", "officer", "manager", "admin")


class MemberIn(InputSchema):
    nik: str
    name: str
    birth_date: date | None = None
    gender: str | None = None
    phone: str
    village_code: str
    occupation: str
    second_occupation: str | None = None
    sector: str | None = None
    income: int
    programs: str | list[str] = "JKK,JKM"
    address: str | None = None
    funding: str | None = None

class QuoteOut(Schema):
    month: str
    jkk: int
    jkm: int
    jht: int
    total: int
    discount: int

class NikRegionOut(Schema):
    nik_code: str
    regency_code: str
    regency: str
    province_code: str
    province: str
    district_code: str | None = None
    district: str | None = None
    old_code: str | None = None
    law: str | None = None
    year: int | None = None

class MemberOut(Schema):
    kpj: str
    nik: str
    name: str
    birth_date: date
    gender: str
    phone: str
    whatsapp: str
    village_code: str
    village_name: str
    address: str
    district_code: str
    regency_code: str
    province_code: str
    branch: str
    occupation: str
    second_occupation: str
    sector: str
    income: int
    programs: list[str]
    funding: str
    channel: str
    status: str
    status_reason: str
    correction_requested: bool
    registered_on: date
    first_month: str
    monthly_contribution: int
    quote: QuoteOut | None = None
    nik_region: NikRegionOut | None = None

class MemberCreated(MemberOut):
    reactivated: bool = False

class MemberRow(Schema):
    kpj: str
    nik: str
    name: str
    branch: str
    village_code: str
    status: str
    registered_on: date

class MemberPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MemberRow]

class ReasonIn(InputSchema):
    reason: str

class MemberPatch(InputSchema):
    name: str | None = None
    phone: str | None = None
    village_code: str | None = None
    address: str | None = None
    occupation: str | None = None
    second_occupation: str | None = None
    income: int | None = None
    programs: str | list[str] | None = None

def member_out(user, m: Member) -> dict:
    q = None
    try:
        q = selectors.monthly_quote(m).as_dict()
    except RuleError:  # a month without a schedule row: the member is still readable
        q = None
    return {
        "kpj": m.kpj, "nik": selectors.nik_for(user, m), "name": m.name, "birth_date": m.birth_date,
        "gender": m.gender, "phone": m.phone, "whatsapp": m.whatsapp, "village_code": m.village_id,
        "village_name": m.village.name if m.village_id else "", "address": m.address,
        "district_code": m.district_code, "regency_code": m.regency_code, "province_code": m.province_code,
        "branch": m.branch_id, "occupation": m.occupation, "second_occupation": m.second_occupation,
        "sector": m.sector, "income": m.income, "programs": m.programs, "funding": m.funding,
        "channel": m.channel, "status": m.status, "status_reason": m.status_reason,
        "correction_requested": m.correction_requested, "registered_on": m.registered_on,
        "first_month": f"{m.first_month:%Y-%m}", "monthly_contribution": q["total"] if q else 0, "quote": q,
        "nik_region": _nik_region(m),
    }

def _nik_region(m: Member) -> dict | None:
    """Where the NIK was first registered, named as today's region (an old code before a split included)."""

    region = nik_region_of(m.nik)
    return region.as_dict() if region else None

def channel_for(user) -> tuple[str, str | None]:
    """Which channel a caller registers through, and the funding it imposes (None: the payload decides)."""
    role = role_of(user)
    if role not in REGISTRARS:
        raise Forbidden("Peran Anda tidak boleh mendaftarkan peserta.")
    if role == "worker":
        return Channel.SELF, "self"
    if role == "agent":
        return Channel.AGENT, "self"
    if role == "sponsor":
        sponsor = getattr(user, "sponsor", None)
        return Channel.SPONSOR_IMPORT, getattr(sponsor, "funding", None) or "sponsor"
    return Channel.BRANCH, None

def _sponsor_add_worker():
    return services.registrar(Channel.SPONSOR_IMPORT)

@router.post("/members", response={201: MemberCreated, **errors(403, 404, 409)}, summary="Register a worker")
def create_member(request, payload: MemberIn):
    """Register a BPU worker (SPEC 2.1, 2.6). Who may call, and what it means:
    * **worker** token: registers *themself* (channel `self`, status `pending`, linked to the caller's
      account; a worker who already has a member record gets 409);
    * **agent**: channel `agent`, status `pending`, credited to the agent;
    * **sponsor** (an account linked to a sponsor): through the sponsors app (`add_worker`): channel
      `sponsor_import`, status `active`, funding from the sponsor (`sponsor`, or `apbd` for a regional
      government); the group invoice is then made in the sponsor portal;
    * **officer / manager / admin**: channel `branch`, status `active`; `funding` may be given
      (`self`, `sponsor`, `apbd`, `apbn`).

    `birth_date` and `gender` may be left out: they are then read from the NIK; when given they must
    match it (women: day of birth + 40). Returns the KPJ and the contribution for the current month.
    Errors: 422 with `errors` per field, 409 duplicate NIK.

    The NIK of a member made non-active after 3 unpaid months (SPEC 2.3) is not a duplicate: the membership
    is reactivated as a new registration on the same record (same KPJ) with the new data, `registered_on`
    today, `first_month` the new first contribution month (arrears from before are not owed), status by
    channel as above; the answer is still 201, with `reactivated: true` (false otherwise). A worker may
    reactivate their own membership; a NIK linked to another worker's account is 409.
    """
    user = request.auth
    channel, funding = channel_for(user)
    data = payload.dict()
    linked_user = None
    if channel == Channel.SELF:
        own = Member.objects.filter(user=user).first()
        # a worker's own rejected or non-active membership may register again; anything else is one too many
        if own is not None and (own.status not in services.REREGISTRABLE
                                or own.nik != services.normalize_nik(data.get("nik"))):
            raise Conflict("Akun Anda sudah terhubung ke peserta; satu akun untuk satu peserta.",
                           {"user": "Sudah terdaftar."})
        linked_user = user
    sponsor_add = _sponsor_add_worker() if channel == Channel.SPONSOR_IMPORT else None
    if sponsor_add is not None:
        # the sponsors app registers the worker for the caller's sponsor (its funding, its rules)
        member = sponsor_add(user, data, actor=user)
    else:
        member = services.register_member(data, actor=user, channel=channel,
                                          funding=funding or data.get("funding") or "self", user=linked_user)
    reactivated = bool(getattr(member, "reactivated", False))
    if member.village_id and not Member.village.is_cached(member):
        # the answer needs the village's name only: not a second read of the member just written
        member.village = Region.objects.only("code", "name").get(code=member.village_id)
    return Status(201, {**member_out(user, member), "reactivated": reactivated})

@router.get("/members", response={200: MemberPage, **errors(403, 404)}, summary="Search members (officers)")
def list_members(request, q: str = "", status: str = "", page: int = 1):
    """Members in the caller's scope, newest first, 25 a page; `q` is a NIK, a KPJ (or their first digits)
    or part of a name. NIKs are always masked in lists."""
    if not (policy.is_staff(request.auth) or role_of(request.auth) in ("agent", "sponsor")):
        raise Forbidden("Pencarian peserta hanya untuk petugas, agen dan sponsor.")

    paginator = Paginator(selectors.search_members(request.auth, q, status), 25)
    p = paginator.get_page(page)
    return {"count": paginator.count, "page": p.number, "pages": paginator.num_pages,
            "results": [{"kpj": m.kpj, "nik": mask_nik(m.nik), "name": m.name, "branch": m.branch_id,
                         "village_code": m.village_id, "status": m.status, "registered_on": m.registered_on}
                        for m in p.object_list]}

@router.get("/members/{kpj}", response={200: MemberOut, **errors(403, 404)}, summary="One member")
def get_member(request, kpj: str):
    """The member with this KPJ. The NIK is shown in full only to the member, whoever registered them and
    staff whose office covers the member's branch; masked (`6371********0001`) otherwise. Staff outside
    the member's branch get 403; other callers 404."""
    return member_out(request.auth, selectors.get_member_for(request.auth, kpj))

@router.patch("/members/{kpj}", response={200: MemberOut, **errors(403, 404, 409)}, summary="Update a member's data")
def patch_member(request, kpj: str, payload: MemberPatch):
    """Change phone, village/address, occupation, income or programs (the member themself or an officer
    in scope); officers may also correct the name's spelling. Every change is written to the audit trail."""
    member = selectors.get_member_for(request.auth, kpj)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    member = services.update_member(member, data, actor=request.auth)
    return member_out(request.auth, Member.objects.select_related("village").get(pk=member.pk))

@router.post("/members/{kpj}/approve", response={200: MemberOut, **errors(403, 404, 409)}, summary="Approve a pending registration")
def approve(request, kpj: str):
    member = services.approve_member(selectors.get_member_for(request.auth, kpj), actor=request.auth)
    return member_out(request.auth, member)

@router.post("/members/{kpj}/correction", response={200: MemberOut, **errors(403, 404, 409)}, summary="Ask the worker to correct data")
def correction(request, kpj: str, payload: ReasonIn):
    member = services.request_correction(selectors.get_member_for(request.auth, kpj), actor=request.auth,
                                         reason=payload.reason)
    return member_out(request.auth, member)

@router.post("/members/{kpj}/reject", response={200: MemberOut, **errors(403, 404, 409)}, summary="Reject a pending registration")
def reject(request, kpj: str, payload: ReasonIn):
    member = services.reject_member(selectors.get_member_for(request.auth, kpj), actor=request.auth,
                                    reason=payload.reason)
    return member_out(request.auth, member)

class CardCheckOut(Schema):
    kpj: str
    name: str
    programs: list[str]
    protected: bool
    state: str | None = None

@router.get("/members/{kpj}/verify", response={200: CardCheckOut, **errors(404)}, auth=None, summary="Public card check (QR)")
def verify_card(request, kpj: str):
    """What the QR code on a membership card shows to anyone: the masked name (`S*** A*****`), the
    programs and whether protection is active now. Nothing else (no NIK, no address). 404 unknown KPJ."""
    info = selectors.public_card(kpj)
    if info is None:
        raise NotFound(f"Kartu dengan KPJ {kpj} tidak ditemukan; periksa nomornya (11 digit).")
    return {k: info[k] for k in ("kpj", "name", "programs", "protected", "state")}
