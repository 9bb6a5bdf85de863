"""``{% load friendly %}``: text for people, not developers.

``{{ source|friendly_source }}`` drops internal references such as "(SPEC 2.7, H)" or "; SPEC 2.3" from a
data source line before it is shown on a page (the data files keep them for provenance).
"""

import re

from django import template

register = template.Library()

_SPEC_PAREN = re.compile(r"\s*\(\s*SPEC\s+[\d.]+(?:\s*,\s*[A-Z])?\s*\)")
_SPEC_INLINE = re.compile(r"\s*[;,]?\s*\bSPEC\s+[\d.]+(?:\s*,\s*[A-Z]\b)?")


@register.filter
def friendly_source(value):
    if not value:
        return value
    text = _SPEC_INLINE.sub("", _SPEC_PAREN.sub("", str(value))).strip()
    return re.sub(r"\(\s*\)", "", text).strip(" ;,")


def _reason_patterns():
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    return [
        (r"(\d+) bulan menunggak", lambda n: ngettext("%(n)s bulan menunggak", "%(n)s bulan menunggak", n) % {"n": n}),
        (r"belum pernah membayar", lambda: _("belum pernah membayar")),
        (r"(\d+)× bayar lewat jatuh tempo dalam 12 bulan",
         lambda n: _("%(n)s× bayar lewat jatuh tempo dalam 12 bulan") % {"n": n}),
        (r"peserta baru \(< 3 bulan\)", lambda: _("peserta baru (< 3 bulan)")),
        (r"peserta baru \(< 6 bulan\)", lambda: _("peserta baru (< 6 bulan)")),
        (r"selalu bayar hanya 1 bulan", lambda: _("selalu bayar hanya 1 bulan")),
        (r"sudah bayar (\d+) bulan di muka", lambda n: ngettext("sudah bayar %(n)s bulan di muka",
                                                                 "sudah bayar %(n)s bulan di muka", n) % {"n": n}),
    ]


@register.filter
def risk_reasons(value):
    """The lapse-risk reasons (``rules.lapse``, Indonesian text from a pure-Python rule) in the page's language:
    each known phrase is matched and given through the catalogue; an unknown one is shown as it is."""
    if not value:
        return value
    out = []
    for part in str(value).split("; "):
        m = re.fullmatch(r"(.*?) \(([+-]?\d+)\)", part)
        text, pts = (m.group(1), m.group(2)) if m else (part, None)
        for pattern, make in _reason_patterns():
            hit = re.fullmatch(pattern, text)
            if hit:
                text = make(*(int(g) for g in hit.groups()))
                break
        out.append(f"{text} ({pts})" if pts is not None else text)
    return "; ".join(out)
