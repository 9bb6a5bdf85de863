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
