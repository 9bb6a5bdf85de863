"""Bounds on what a person can send, shared by the API schemas, the services and the importers.

These are sanity limits (what fits the database and a day's work), not regulation figures.
"""

MAX_RUPIAH = 999_999_999_999  # one payment or amount: under Rp1 trillion (a BIGINT holds 9.2e18)
MAX_REFERENCE_LENGTH = 40
