"""The access policy as a table: every role against every object kind, in and out of its scope.

In scope: the object of branch KC-6371 (Banjarmasin) that belongs to the user's own account (the worker's
member record, payment and claim; the agent's recruit and agent record; the sponsor's sponsored worker,
sponsor record and invoice; the treasurer's collective and its member). Out of scope: the same kind of
object in another regional office's branch, owned by nobody. Staff reach by office scope: the officer of
KC-6371 and the regional manager of its regional office reach only the first, the national manager and the
admin both; settlement files and journal accounts are not bound to a branch (every staff member).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from jaring.accounts.policy import ACTIONS, KINDS, can, scope_queryset

ROLES = ["worker", "agent", "sponsor", "treasurer", "officer", "regional", "manager", "admin"]
STAFF = {"officer", "regional", "manager", "admin"}
NATIONAL = {"manager", "admin"}

# kind -> (action, roles that reach the in-scope object, roles that also reach the out-of-scope one)
TABLE = {
    "member": ("member.view", {"worker", "agent", "sponsor", "treasurer"} | STAFF, NATIONAL),
    "payment": ("payment.view", {"worker"} | STAFF, NATIONAL),
    "claim": ("claim.view", {"worker"} | STAFF, NATIONAL),
    "agent": ("agent.view", {"agent"} | STAFF, NATIONAL),
    "sponsor": ("sponsor.view", {"sponsor"} | STAFF, NATIONAL),
    "invoice": ("invoice.view", {"sponsor"} | STAFF, NATIONAL),
    "collective": ("collective.view", {"treasurer"} | STAFF, NATIONAL),
    "settlement file": ("settlementfile.view", STAFF, STAFF),
    "ledger account": ("ledger.view", STAFF, STAFF),
}


def _member(kpj, nik, branch, village, user=None):
    from jaring.members.models import Member

    return Member.objects.create(
        kpj=kpj, nik=nik, name="Ahmad Fauzi", birth_date=date(1990, 8, 15), gender="L", village=village,
        district_code=village.code[:8], regency_code=village.code[:5], province_code=village.code[:2],
        branch=branch, occupation="pedagang", income=1_000_000, registered_on=date(2026, 1, 5),
        first_month=date(2026, 1, 1), status="active", user=user)


@pytest.fixture
def world(db, make_user):
    from jaring.agents.models import Agent, Recruitment
    from jaring.claims.models import Claim
    from jaring.communities.models import Collective, Membership
    from jaring.contributions.models import Channel, Payment, SettlementFile
    from jaring.ledger.models import Account
    from jaring.regions.models import BranchOffice, Region
    from jaring.sponsors.models import GroupInvoice, Sponsor, Sponsorship

    here = BranchOffice.objects.get(code="KC-6371")
    there = BranchOffice.objects.exclude(regional_office=here.regional_office).order_by("code").first()
    village = Region.objects.get(code="63.71.04.1001")
    users = {
        "worker": make_user("w1", "worker", None), "agent": make_user("a1", "agent", "KC-6371"),
        "sponsor": make_user("s1", "sponsor", "KC-6371"), "treasurer": make_user("t1", "treasurer", "KC-6371"),
        "officer": make_user("o1", "officer", "KC-6371"),
        "regional": make_user("r1", "manager", here.regional_office_id),
        "manager": make_user("m1", "manager", None), "admin": make_user("ad1", "admin", None),
    }
    m_in = _member("10000000011", "6371041508900001", here, village, users["worker"])
    m_out = _member("10000000029", "6371041508900003", there, village)
    agent_in = Agent.objects.create(user=users["agent"], code="AG-1", name="Agen", branch=here,
                                    joined_on=date(2026, 1, 1))
    agent_out = Agent.objects.create(user=make_user("a2", "agent", there.code), code="AG-2", name="Agen 2",
                                     branch=there, joined_on=date(2026, 1, 1))
    Recruitment.objects.create(member=m_in, agent=agent_in, recruited_on=date(2026, 1, 5))
    sponsor_in = Sponsor.objects.create(kind="company", name="PT A", branch=here, user=users["sponsor"])
    sponsor_out = Sponsor.objects.create(kind="company", name="PT B", branch=there)
    Sponsorship.objects.create(sponsor=sponsor_in, member=m_in, start_month=date(2026, 1, 1),
                               end_month=date(2026, 12, 1))
    inv = {}
    for n, sp in (("in", sponsor_in), ("out", sponsor_out)):
        inv[n] = GroupInvoice.objects.create(number=f"INV-{n}", payment_code=f"88{n}", sponsor=sp,
                                             start_month=date(2026, 1, 1), end_month=date(2026, 12, 1),
                                             due_date=date(2026, 1, 10))
    col = {}
    for n, br, tr in (("in", here, users["treasurer"]), ("out", there, make_user("t2", "treasurer", None))):
        col[n] = Collective.objects.create(code=f"WD-{n}", name=f"Wadah {n}", kind="other", branch=br,
                                           treasurer=tr, treasurer_name="Bendahara")
    Membership.objects.create(collective=col["in"], member=m_in, joined_on=date(2026, 1, 5))
    channel = Channel.objects.get_or_create(code="BANK", defaults={"name": "Bank"})[0]
    paid_at = datetime(2026, 1, 10, 3, tzinfo=timezone.utc)
    pay = {n: Payment.objects.create(channel=channel, reference=f"R-{n}", member=m, amount=16_800, months=1,
                                     first_month=date(2026, 1, 1), paid_at=paid_at, source="branch")
           for n, m in (("in", m_in), ("out", m_out))}
    claim = {n: Claim.objects.create(number=f"KL-{n}", member=m, branch=m.branch, program="JKK", case="medical",
                                     event_date=date(2026, 1, 20), cause="jatuh", filed_by="worker",
                                     claimant_name="Ahmad", bank_name="BRI", bank_account="123",
                                     account_holder="Ahmad", wage=1_000_000)
             for n, m in (("in", m_in), ("out", m_out))}
    sf = SettlementFile.objects.create(channel=channel, filename="bank.csv", sha256="0" * 64)
    account = Account.objects.order_by("code").first() or Account.objects.create(code="1000", name="Kas",
                                                                                 type="asset")
    objects = {
        "member": (m_in, m_out), "payment": (pay["in"], pay["out"]), "claim": (claim["in"], claim["out"]),
        "agent": (agent_in, agent_out), "sponsor": (sponsor_in, sponsor_out), "invoice": (inv["in"], inv["out"]),
        "collective": (col["in"], col["out"]), "settlement file": (sf, sf), "ledger account": (account, account),
    }
    return users, objects


def test_every_object_kind_of_the_policy_is_in_the_table():
    assert {"members.member", "contributions.payment", "claims.claim", "agents.agent", "sponsors.sponsor",
            "sponsors.groupinvoice", "communities.collective", "contributions.settlementfile",
            "ledger.account"} <= set(KINDS)
    assert all(action in ACTIONS for action, _i, _o in TABLE.values())


@pytest.mark.parametrize("kind", list(TABLE))
def test_role_by_kind_in_and_out_of_scope(world, kind):
    users, objects = world
    action, reach_in, reach_out = TABLE[kind]
    obj_in, obj_out = objects[kind]
    got = {role: (can(users[role], action, obj_in), can(users[role], action, obj_out)) for role in ROLES}
    want = {role: (role in reach_in, role in reach_out) for role in ROLES}
    assert got == want


def test_scope_queryset_is_the_same_answer_for_lists(world):
    from jaring.members.models import Member

    users, objects = world
    m_in, m_out = objects["member"]
    assert set(scope_queryset(users["officer"], Member.objects.all())) == {m_in}
    assert set(scope_queryset(users["manager"], Member.objects.all())) == {m_in, m_out}
    assert list(scope_queryset(users["worker"], Member.objects.all())) == [m_in]
    assert list(scope_queryset(None, Member.objects.all())) == []


def test_an_anonymous_user_can_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    _users, objects = world
    for action, _i, _o in TABLE.values():
        assert not can(AnonymousUser(), action)
    assert not can(AnonymousUser(), "member.view", objects["member"][0])


def test_an_unknown_action_is_a_programming_error(world):
    users, _objects = world
    with pytest.raises(KeyError):
        can(users["admin"], "member.teleport")
