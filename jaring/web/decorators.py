"""Moved to jaring.core.http (the one mapping from domain errors to pages)."""

from jaring.core.http import domain_errors_as_http  # noqa: F401
