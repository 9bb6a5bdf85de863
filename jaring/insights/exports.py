"""Moved to jaring.core.exports (shared by every app that offers CSV/XLSX)."""

from jaring.core.exports import *  # noqa: F401,F403
from jaring.core.exports import as_csv, as_xlsx, respond  # noqa: F401
