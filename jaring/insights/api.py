import datetime as dt

from typing import Literal

from ninja import Field, Query, Router, Schema

from jaring.api.errors import errors
from jaring.api.schemas import IsoDate

from jaring.core.replica import reports

from . import selectors

router = Router(tags=["insights"])


class CoverageRow(Schema):
    code: str
    name: str
    active: int
    inactive: int
    pending: int
    new_this_month: int
    contributions_this_month: int


class CoverageQuery(Schema):
    level: Literal["province", "regency", "district", "village", "branch", "regional"] = "province"
    parent: str | None = Field(None, max_length=20, pattern=r"^[0-9A-Za-z.-]+$")
    date: IsoDate | None = None


@router.get("/stats/coverage", response={200: list[CoverageRow], **errors(403, 404)}, summary="Coverage per area (from the daily snapshot)")
def stats_coverage(request, q: Query[CoverageQuery]):
    """Members per area from the daily snapshot tables (``jaring snapshots refresh``), never a scan of the
    member table. ``level``: ``province`` | ``regency`` | ``district`` | ``village`` (also ``regional`` and
    ``branch`` for offices); ``parent``: the code one level up (a province for regencies, a regency for
    districts, a district for villages — required for villages; a regional office code for branches).
    ``date``: the snapshot day (default the latest).

    Scoped by the caller's office: a branch officer gets only the areas their branch serves (a province row
    then adds up only those regencies); a regional manager their office's branches; national managers
    everything. A parent outside the caller's scope is 403. ``contributions_this_month`` is Rupiah paid in
    the calendar month of the snapshot day (channel fees excluded)."""
    with reports():  # the read replica when it is fresh enough (jaring.core.replica)
        day = selectors.latest_day(q.date) if q.date else None
        return selectors.coverage_rows(request.user, q.level, q.parent, day)
