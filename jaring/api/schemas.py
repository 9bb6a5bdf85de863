"""``InputSchema``: the base of every API request body (the validation layer for JSON bodies).

* Unknown fields are refused (422 naming the field) instead of silently dropped, so the schema's
  ``additionalProperties: false`` is what the API does and a typo in a field name is caught.
* No text field may contain the NUL character (422 naming the field): PostgreSQL cannot store it.
  Query strings, paths and forms get the same rule from the request guard (jaring.core.guard).
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict, field_validator

NUL_MESSAGE = "Karakter NUL (\\0) tidak boleh ada; hapus karakter kendali itu lalu kirim lagi."


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple, set)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if _has_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value


MONTH_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
"""``YYYY-MM`` as every month parameter takes it (``parse_month``)."""

DATE_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _iso_date(value):
    import datetime as dt
    import re

    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str) and re.fullmatch(DATE_PATTERN, value):
        return value
    raise ValueError("Tanggal harus berformat YYYY-MM-DD, misalnya 2026-05-20.")


def iso_date():
    """A ``date`` that must be written ``YYYY-MM-DD`` (pydantic alone would also take ``0`` as 1970-01-01)."""
    import datetime as dt
    from typing import Annotated

    from pydantic import BeforeValidator

    return Annotated[dt.date, BeforeValidator(_iso_date)]


IsoDate = iso_date()
