"""One access policy for pages, API and CLI: ``can(user, action, obj=None)`` and ``scope_queryset(user, qs)``.

Two questions, answered from two tables:

* **may this role do this action at all?** ``ACTIONS`` maps ``"<kind>.<verb>"`` to the roles allowed;
* **is this object within the user's reach?** ``KINDS`` says, per object kind (``app_label.model``), which
  lookup ties a row to a branch office (staff see the branches of their office scope:
  :func:`jaring.accounts.scoping.scope_for`) and which lookup ties it to the user's own account (a worker's
  own record, an agent's recruits, a sponsor's invoices, a treasurer's collective).

The lookups are ORM paths (strings), so this module imports no app above accounts; an object is in scope
when ``scope_queryset(user, <its model>.objects.filter(pk=obj.pk))`` still holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Role
from .scoping import scope_for
from .services import role_of

STAFF = (Role.OFFICER, Role.MANAGER, Role.ADMIN)
FINANCE = STAFF
LEADERS = (Role.MANAGER, Role.ADMIN)
EVERYONE = (Role.WORKER, Role.AGENT, Role.SPONSOR, Role.TREASURER) + STAFF


@dataclass(frozen=True)
class Kind:
    """How rows of one model are reached: ``branch`` (a lookup to the BranchOffice, for staff; None = not
    bound to a branch: every staff member reaches them, as settlement files and the journal) and ``own``
    ({role: lookup to the user account that owns the row})."""
    branch: str | None
    own: dict[str, str] = field(default_factory=dict)


KINDS: dict[str, Kind] = {
    "members.member": Kind("branch", {Role.WORKER: "user", Role.AGENT: "recruitment__agent__user",
                                      Role.SPONSOR: "sponsorships__sponsor__user",
                                      Role.TREASURER: "collective_memberships__collective__treasurer"}),
    "contributions.payment": Kind("member__branch", {Role.WORKER: "member__user"}),
    "contributions.settlementfile": Kind(None),
    "sponsors.sponsor": Kind("branch", {Role.SPONSOR: "user"}),
    "sponsors.groupinvoice": Kind("sponsor__branch", {Role.SPONSOR: "sponsor__user"}),
    "claims.claim": Kind("branch", {Role.WORKER: "member__user"}),
    "agents.agent": Kind("branch", {Role.AGENT: "user"}),
    "communities.collective": Kind("branch", {Role.TREASURER: "treasurer"}),
    "ledger.account": Kind(None),
    "ledger.entry": Kind(None),
}

# action -> roles allowed (before the object's scope is checked)
ACTIONS: dict[str, tuple[str, ...]] = {
    "member.view": EVERYONE,
    "member.register": (Role.WORKER, Role.AGENT, Role.SPONSOR) + STAFF,
    "member.verify": STAFF,
    "member.import": (Role.AGENT, Role.SPONSOR) + STAFF,
    "payment.view": (Role.WORKER,) + STAFF,
    "payment.post": STAFF,
    "settlementfile.view": STAFF,
    "settlementfile.import": STAFF,
    "sponsor.view": (Role.SPONSOR,) + STAFF,
    "invoice.view": (Role.SPONSOR,) + STAFF,
    "invoice.record_payment": STAFF,
    "claim.view": (Role.WORKER,) + STAFF,
    "claim.file": (Role.WORKER,) + STAFF,
    "claim.review": STAFF,
    "agent.view": (Role.AGENT,) + STAFF,
    "agent.manage": STAFF,
    "collective.view": (Role.TREASURER,) + STAFF,
    "collective.manage": STAFF,
    "ledger.view": FINANCE,
    "ledger.alert": LEADERS,
    "outreach.view": STAFF,
    "insights.view": STAFF,
}


def is_staff(user) -> bool:
    """An officer, manager or admin (their office scope then says where)."""
    return role_of(user) in STAFF


def allowed(user, action: str) -> bool:
    """The role part of :func:`can` alone (menus, decorators, list pages)."""
    roles = ACTIONS.get(action)
    if roles is None:
        raise KeyError(f"unknown action {action!r}: add it to jaring.accounts.policy.ACTIONS")
    return role_of(user) in roles


def scope_queryset(user, qs):
    """``qs`` narrowed to the rows ``user`` may reach (none for a kind the policy does not know)."""
    kind = KINDS.get(qs.model._meta.label_lower)
    role = role_of(user)
    if kind is None or role is None:
        return qs.none()
    if role in STAFF:
        scope = scope_for(user)
        if scope.national or kind.branch is None:
            return qs
        return scope.filter(qs, kind.branch)
    lookup = kind.own.get(role)
    if lookup is None:
        return qs.none()
    return qs.filter(Q(**{lookup: user})).distinct()


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (``"<kind>.<verb>"``, see ``ACTIONS``), on ``obj`` when given?"""
    if not allowed(user, action):
        return False
    if obj is None:
        return True
    model = type(obj)
    return scope_queryset(user, model._default_manager.filter(pk=obj.pk)).exists()
