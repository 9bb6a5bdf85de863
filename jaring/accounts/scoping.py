"""Area-scoped rights: what part of the country a user may see.

National (admin, or a manager without office), a regional office's branches, or one branch.
Apps apply the scope to their querysets through the member's ``branch`` field.
"""

from __future__ import annotations

from dataclasses import dataclass

from jaring.regions.models import BranchOffice

from .models import Role


@dataclass(frozen=True)
class Scope:
    kind: str  # "national" | "regional" | "branch" | "none"
    branch_codes: frozenset[str] | None = None  # None = every branch
    regional_code: str | None = None

    @property
    def national(self) -> bool:
        return self.kind == "national"

    def allows_branch(self, branch_code: str | None) -> bool:
        if self.kind == "national":
            return True
        return bool(branch_code) and self.branch_codes is not None and branch_code in self.branch_codes

    def filter(self, qs, field: str = "branch"):
        """Keep rows whose ``field`` (a BranchOffice FK or its code) lies in this scope."""
        if self.kind == "national":
            return qs
        if not self.branch_codes:
            return qs.none()
        return qs.filter(**{f"{field}__in": list(self.branch_codes)})

NONE = Scope("none", frozenset())


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return NONE
    profile = getattr(user, "profile", None)
    if profile is None:
        return Scope("national") if user.is_superuser else NONE
    if profile.role not in (Role.OFFICER, Role.MANAGER, Role.ADMIN):
        return NONE  # workers, agents and sponsors see their own records through their own rules
    if profile.branch_id:
        return Scope("branch", frozenset([profile.branch_id]))
    if profile.regional_office_id:
        codes = BranchOffice.objects.filter(regional_office_id=profile.regional_office_id).values_list("code",
                                                                                                        flat=True)
        return Scope("regional", frozenset(codes), profile.regional_office_id)
    if profile.role in (Role.MANAGER, Role.ADMIN):
        return Scope("national")
    return NONE
