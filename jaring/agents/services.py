"""Perisai agents: onboarding, attribution, collection on behalf of workers, the commission ledger."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.scoping import scope_for
from jaring.accounts.services import create_user, role_of
from jaring.contributions import prepaid
from jaring.contributions.models import Payment
from jaring.contributions.services import cost_of_months, post_payment
from jaring.core import audit
from jaring.core.errors import Conflict, DomainError, Forbidden, NotFound
from jaring.ledger import services as ledger
from jaring.ledger.models import Entry, Line
from jaring.regions.models import BranchOffice
from jaring.rules import commission as rules
from jaring.rules.periods import add_months, month_str, parse_month

from .models import Agent, AgentStatus, Collection, CommissionLine, Recruitment

BANK_ACCOUNT = re.compile(r"^\d{6,20}$")


def _agent_of(user_or_agent) -> Agent | None:
    if isinstance(user_or_agent, Agent):
        return user_or_agent
    if user_or_agent is None or not getattr(user_or_agent, "is_authenticated", False):
        return None
    return Agent.objects.filter(user=user_or_agent).first()

def format_code(number: int) -> str:
    return f"PRS-{number:06d}"

@transaction.atomic
def onboard_agent(data: dict, *, actor=None) -> Agent:
    """Create an agent (and its sign-in account when ``password`` is given for a new username).

    data: username, password (new account), name, phone, branch (KC-…), bank_name, bank_account,
    bank_holder, joined_on (optional, default today).
    """

    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Isi nama lengkap agen."
    branch_code = (data.get("branch") or "").strip().upper()
    branch = BranchOffice.objects.filter(code=branch_code).first()
    if branch is None:
        errors["branch"] = "Kode kantor cabang tidak dikenal (contoh: KC-6371)."
    account = re.sub(r"[\s.-]", "", str(data.get("bank_account") or ""))
    if not BANK_ACCOUNT.match(account):
        errors["bank_account"] = "Nomor rekening berisi 6 sampai 20 angka."
    bank_name = (data.get("bank_name") or "").strip()
    if not bank_name:
        errors["bank_name"] = "Isi nama bank untuk pembayaran komisi."
    username = (data.get("username") or "").strip()
    if not username:
        errors["username"] = "Isi nama pengguna untuk akun agen."
    if errors:
        raise DomainError("Data agen belum lengkap; periksa kolom yang ditandai.", errors)
    if actor is not None and not scope_for(actor).allows_branch(branch.code):
        raise Forbidden("Anda hanya dapat mendaftarkan agen di kantor cabang Anda.")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        if not data.get("password"):
            raise DomainError("Isi kata sandi untuk akun agen baru.", {"password": "Wajib untuk akun baru."})
        user = create_user(username, data["password"], Role.AGENT, branch.code, actor=actor, full_name=name)
    elif role_of(user) != Role.AGENT:
        raise Conflict(f"Pengguna '{username}' sudah ada dengan peran lain; pilih nama pengguna lain.",
                       {"username": "Sudah dipakai peran lain."})
    elif Agent.objects.filter(user=user).exists():
        raise Conflict(f"Pengguna '{username}' sudah terdaftar sebagai agen.", {"username": "Sudah menjadi agen."})
    joined = data.get("joined_on") or timezone.localdate()
    if isinstance(joined, str):
        joined = date.fromisoformat(joined)
    agent = Agent.objects.create(
        user=user, code=f"TMP-{user.pk}", name=name, phone=(data.get("phone") or "").strip(), branch=branch,
        bank_name=bank_name, bank_account=account, bank_holder=(data.get("bank_holder") or name).strip(),
        joined_on=joined)
    agent.code = format_code(agent.pk)
    agent.save(update_fields=["code"])
    audit.record(actor, "agent.onboard", agent, changes={"code": [None, agent.code], "branch": [None, branch.code]})
    return agent

@transaction.atomic
def attribute_member(member, user_or_agent) -> Recruitment | None:
    """Record that the agent (or the agent account ``user``) recruited ``member``.

    Idempotent: a member keeps the first agent who recruited them. Returns None when the user is
    not an onboarded agent, or is suspended (no attribution, and so no commission, while suspended).
    """
    agent = _agent_of(user_or_agent)
    if agent is None:
        return None
    existing = Recruitment.objects.filter(member=member).first()
    if existing is not None:
        return existing
    if agent.status == AgentStatus.SUSPENDED:
        # the registration itself stands (an officer verifies it); a suspended agent earns no attribution
        audit.record(getattr(agent, "user", None), "agent.attribute_refused", member,
                     note=f"{agent.code} diberhentikan sementara sejak {agent.suspended_on}")
        return None
    recruited_on = getattr(member, "registered_on", None) or timezone.localdate()
    try:
        with transaction.atomic():
            rec = Recruitment.objects.create(member=member, agent=agent, recruited_on=recruited_on)
    except IntegrityError:  # attributed concurrently: the first one wins
        return Recruitment.objects.get(member=member)
    audit.record(getattr(agent, "user", None), "agent.attribute", member, note=agent.code)
    return rec

def _cost(member, months: int):
    return cost_of_months(member, months)

@transaction.atomic
def collect(agent: Agent, member, months: int, *, amount: int | None = None, reference: str | None = None,
            actor=None, now=None) -> tuple[Collection, bool]:
    """Cash an agent took from a worker, posted on channel AGENT (reference unique per collection).

    ``reference`` is the agent app's own id for the collection (safe to resend after a dropped
    connection); without it the collection gets a fresh reference. Returns (collection, created).
    """

    if agent.status != AgentStatus.ACTIVE:
        raise Forbidden(f"Agen {agent.code} sedang diberhentikan sementara dan tidak dapat menerima setoran.")
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise DomainError("Jumlah bulan harus angka 1 sampai 12.", {"months": "Isi 1 sampai 12."})
    if not 0 <= months <= 12:
        raise DomainError("Pembayaran mencakup 1 sampai 12 bulan (0 = setor ke saldo prabayar).",
                          {"months": "Isi 1 sampai 12, atau 0 untuk saldo prabayar."})
    if months == 0:  # any amount from Rp1,000 into the member's prepaid balance (SPEC 2.9)
        if amount is None:
            raise DomainError("Isi nominal setoran untuk saldo prabayar.", {"amount": "Wajib untuk saldo prabayar."})
        amount = prepaid.check_amount(amount)
    rec = Recruitment.objects.filter(member=member).first()
    if member.branch_id != agent.branch_id and (rec is None or rec.agent_id != agent.pk):
        raise Forbidden("Peserta ini bukan rekrutan Anda dan berada di luar kantor cabang Anda.")
    now = now or timezone.now()
    if reference:
        reference = f"{agent.code}-{re.sub(r'[^A-Za-z0-9_-]', '', str(reference))[:24]}"
        prior = Collection.objects.filter(reference=reference).first()
        if prior is not None:
            same = prior.member_id == member.pk and prior.months == months and (amount is None or prior.amount == amount)
            if not same:
                raise Conflict(f"Referensi {reference} sudah dipakai untuk setoran lain.",
                               {"reference": "Sudah dipakai dengan isi berbeda."})
            return prior, False
    expected = amount if months == 0 else sum(a for _, a in _cost(member, months))
    if amount is not None and int(amount) != expected:
        raise DomainError(f"Jumlah setoran untuk {months} bulan adalah Rp{expected:,}".replace(",", ".")
                          + f", bukan Rp{int(amount):,}.".replace(",", "."), {"amount": "Tidak sesuai iuran."})
    local = timezone.localtime(now)
    col = Collection.objects.create(agent=agent, member=member, reference=reference or f"TMP-{uuid.uuid4().hex[:20]}",
                                    months=months, amount=expected, collected_at=now, collected_on=local.date())
    if not reference:
        col.reference = f"{agent.code}-{col.pk:08d}"
        col.save(update_fields=["reference"])
    if months == 0:
        payment, _created, _paid = prepaid.top_up(member=member, amount=expected, channel="AGENT",
                                                  reference=col.reference, paid_at=now, source="agent",
                                                  actor=actor or agent.user)
    else:
        payment, _created = post_payment(member=member, months=months, amount=expected, channel="AGENT",
                                         reference=col.reference, paid_at=now, source="agent",
                                         actor=actor or agent.user)
    col.payment_id = payment.pk
    col.save(update_fields=["payment_id"])
    audit.record(actor or agent.user, "agent.collect", col,
                 changes={"amount": [None, expected], "months": [None, months]}, note=member.kpj)
    return col, True

def _month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month, time.min), tz)
    end = timezone.make_aware(datetime.combine(add_months(month, 1), time.min), tz)
    return start, end

@transaction.atomic
def run_commissions(month: str | date, *, actor=None, today: date | None = None) -> dict:
    """The commission ledger for one month (CONTRACT ``jaring commissions run``).

    Set-based: two grouped queries (new recruits per agent, contributions paid that month by each
    agent's recruits — ``Payment.amount`` excludes channel fees), then the month's rows are replaced
    in one delete + one bulk insert, so a re-run never doubles. When the month is closed, agents
    idle for the last ``idle_months`` months are suspended in one UPDATE.
    """

    if isinstance(month, str):
        month = parse_month(month)
    month = month.replace(day=1)
    terms = rules.terms_for(month)
    start, end = _month_bounds(month)

    recruits = dict(Recruitment.objects.filter(recruited_on__gte=month, recruited_on__lt=add_months(month, 1))
                    .values_list("agent").annotate(n=Count("id")).values_list("agent", "n"))
    collected = {a: (s or 0, n) for a, s, n in
                 Payment.objects.filter(paid_at__gte=start, paid_at__lt=end, member__recruitment__isnull=False,
                                        months__gt=0)  # a prepaid top-up counts when its balance pays months
                 .values_list("member__recruitment__agent").annotate(s=Sum("amount"), n=Count("id"))
                 .values_list("member__recruitment__agent", "s", "n")}
    active = set(Agent.objects.filter(status=AgentStatus.ACTIVE, joined_on__lt=add_months(month, 1))
                 .values_list("pk", flat=True))
    rows = []
    for agent_id in sorted(active | set(recruits) | set(collected)):
        n = recruits.get(agent_id, 0)
        amount, payments = collected.get(agent_id, (0, 0))
        c = rules.commission_for(month, n, amount, terms)
        rows.append(CommissionLine(agent_id=agent_id, month=month, recruits=n, collected=amount, payments=payments,
                                   rate_bp=terms.collection_bp, commission=c.commission, bonus=c.bonus,
                                   total=c.total))
    CommissionLine.objects.filter(month=month).delete()
    CommissionLine.objects.bulk_create(rows, batch_size=1000)

    suspended = 0
    today = today or timezone.localdate()
    if add_months(month, 1) <= today:  # only a closed month can close an idle window
        suspended = suspend_idle_agents(month, terms)
    totals = CommissionLine.objects.filter(month=month).aggregate(c=Sum("commission"), b=Sum("bonus"),
                                                                   t=Sum("total"))

    ledger.post_commission_run(month, totals["t"] or 0, actor=actor)
    result = {"month": month_str(month), "agents": len(rows), "commission": totals["c"] or 0,
              "bonus": totals["b"] or 0, "total": totals["t"] or 0, "suspended": suspended}
    audit.record(actor, "commission.run", object_type="agents.commissionline", object_id=month_str(month),
                 changes={k: [None, v] for k, v in result.items() if k != "month"})
    return result

def suspend_idle_agents(month: date, terms=None) -> int:
    """Suspend, in one UPDATE, active agents with no recruit and no collection in the idle window ending
    with ``month`` (joined before the window): no member recruited, no contribution paid by their
    recruits, no cash collected by the agent. Suspended from the next month; rejoin date from the rules."""

    terms = terms or rules.terms_for(month)
    first, last = rules.idle_window(month, terms)
    w_start, _ = _month_bounds(first)
    _, w_end = _month_bounds(last)
    suspended_on = add_months(last, 1)
    recruited = Recruitment.objects.filter(agent=OuterRef("pk"), recruited_on__gte=first,
                                           recruited_on__lt=suspended_on)
    paid = Payment.objects.filter(member__recruitment__agent=OuterRef("pk"), paid_at__gte=w_start, paid_at__lt=w_end)
    collected = Collection.objects.filter(agent=OuterRef("pk"), collected_at__gte=w_start, collected_at__lt=w_end)
    qs = (Agent.objects.filter(status=AgentStatus.ACTIVE, joined_on__lt=first)
          .exclude(Exists(recruited)).exclude(Exists(paid)).exclude(Exists(collected)))
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    n = Agent.objects.filter(pk__in=ids).update(status=AgentStatus.SUSPENDED, suspended_on=suspended_on,
                                                rejoin_on=rules.rejoin_date(suspended_on, terms))
    for agent_id in ids:
        audit.record(None, "agent.suspend", object_type="agents.agent", object_id=str(agent_id),
                     note=f"tidak ada rekrutan dan setoran {month_str(first)} s.d. {month_str(last)}")
    return n

@transaction.atomic
def rejoin_agent(agent: Agent, *, actor=None, on: date | None = None) -> Agent:
    on = on or timezone.localdate()
    if agent.status == AgentStatus.ACTIVE:
        raise DomainError(f"Agen {agent.code} sudah aktif.")
    if agent.rejoin_on and on < agent.rejoin_on:
        raise DomainError(f"Agen {agent.code} baru dapat bergabung kembali mulai {agent.rejoin_on:%d-%m-%Y}.",
                          {"rejoin_on": agent.rejoin_on.isoformat()})
    before = {"status": agent.status, "suspended_on": agent.suspended_on and agent.suspended_on.isoformat()}
    agent.status = AgentStatus.ACTIVE
    agent.joined_on = on  # a fresh idle window starts on rejoining
    agent.suspended_on = None
    agent.rejoin_on = None
    agent.save(update_fields=["status", "joined_on", "suspended_on", "rejoin_on"])
    audit.record(actor, "agent.rejoin", agent, changes=audit.diff(before, {"status": agent.status,
                                                                          "suspended_on": None}))
    return agent

def get_agent(code: str) -> Agent:
    agent = Agent.objects.select_related("branch", "user").filter(code=str(code).strip().upper()).first()
    if agent is None:
        raise NotFound(f"Agen {code} tidak ditemukan.")
    return agent

# --- money the agents hold and are owed (booked in the journal, jaring.ledger) ----------------------

def cash_in_hand(agent: Agent) -> int:
    """Cash the agent collected (their collections' payments, fees included) and has not remitted."""

    collected = (Payment.objects.filter(pk__in=Collection.objects.filter(agent=agent).values("payment_id"))
                 .aggregate(a=Sum("amount"), f=Sum("fee")))
    remitted = Line.objects.filter(entry__kind="agent_remittance", entry__ref_type="agents.agent",
                                   entry__ref_id=agent.pk, account__code="1200").aggregate(s=Sum("credit"))["s"]
    return int(collected["a"] or 0) + int(collected["f"] or 0) - int(remitted or 0)

@transaction.atomic
def remit(agent: Agent, amount: int, *, reference: str, actor=None) -> dict:
    """An agent hands collected cash to the bank (idempotent per reference): agent cash in hand goes down."""

    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    reference = re.sub(r"[^A-Za-z0-9_-]", "", str(reference or ""))[:40]
    if not reference:
        raise DomainError("Isi nomor referensi setoran bank.", {"reference": "Wajib diisi."})
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    key = f"agent-remittance:{agent.code}:{reference}"
    prior = Entry.objects.filter(key=key).first()
    if prior is None:
        held = cash_in_hand(agent)
        if amount <= 0 or amount > held:
            msg = f"Jumlah setoran harus lebih dari 0 dan paling banyak kas di tangan agen Rp{held:,}.".replace(",", ".")
            raise DomainError(msg, {"amount": msg})
        ledger.post_agent_remittance(agent, amount, reference=reference, actor=actor)
        audit.record(actor, "agent.remit", agent, changes={"amount": [None, amount]}, note=reference)
    return {"agent": agent.code, "reference": reference, "cash_in_hand": cash_in_hand(agent)}

@transaction.atomic
def pay_commissions(month: str | date, *, reference: str, actor=None) -> dict:
    """Record the bank transfer of a month's commissions: what the month owes and was not paid yet
    (idempotent per reference)."""

    if isinstance(month, str):
        month = parse_month(month)
    month = month.replace(day=1)
    reference = re.sub(r"[^A-Za-z0-9_-]", "", str(reference or ""))[:40]
    if not reference:
        raise DomainError("Isi nomor referensi transfer komisi.", {"reference": "Wajib diisi."})
    prior = Entry.objects.filter(key=f"commission-payout:{reference}").first()
    tag = ("agents.commissionmonth", month.year * 100 + month.month)
    paid = Line.objects.filter(entry__kind="commission_payout", entry__ref_type=tag[0], entry__ref_id=tag[1],
                               account__code="2300").aggregate(s=Sum("debit"))["s"] or 0
    owed = (CommissionLine.objects.filter(month=month).aggregate(t=Sum("total"))["t"] or 0) - int(paid)
    amount = 0
    if prior is None:
        if owed <= 0:
            raise DomainError(f"Tidak ada komisi {month_str(month)} yang belum dibayar.", {"month": "Sudah dibayar."})
        ledger.post_commission_payout(month, owed, reference=reference, actor=actor)
        audit.record(actor, "commission.pay", object_type="agents.commissionline", object_id=month_str(month),
                     changes={"amount": [None, owed]}, note=reference)
        amount, owed = owed, 0
    return {"month": month_str(month), "reference": reference, "paid": amount, "outstanding": owed}

# --- reactions to the members app (subscribed in apps.py) --------------------------------------------------

def on_member_registered(member, actor) -> None:
    """A member registered by an agent's account is credited to that agent (see :func:`attribute_member`)."""
    attribute_member(member, actor)

def attributed_member_ids(user):
    """The members an agent's account recruited (``member_id`` values), for the members app's scope."""
    return Recruitment.objects.filter(agent__user=user).values("member_id")
