"""KPJ membership numbers: 10 digits + a Damm check digit.

The Damm algorithm (H. M. Damm, 2004) detects every single-digit error and every transposition of
two adjacent digits, which are the mistakes people make when typing a card number.
"""

from __future__ import annotations

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
KPJ_LENGTH = 11


def damm_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def make_kpj(serial: int) -> str:
    """The KPJ for a serial number (1 … 9,999,999,999)."""
    if not 0 < serial < 10**10:
        raise ValueError("KPJ serial out of range")
    body = f"{serial:010d}"
    return body + damm_digit(body)


def is_valid_kpj(kpj: str) -> bool:
    kpj = str(kpj or "").strip()
    return len(kpj) == KPJ_LENGTH and kpj.isdigit() and damm_digit(kpj) == "0"


def mask_nik(nik: str) -> str:
    """``6371041234560001`` → ``6371********0001`` (lists, logs, callers outside scope)."""
    nik = str(nik or "")
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:4] + "*" * 8 + nik[-4:]


def mask_name(name: str) -> str:
    """``Siti Aminah`` → ``S*** A*****`` (public card verification)."""
    return " ".join(w[0] + "*" * (len(w) - 1) if w else w for w in str(name or "").split())
