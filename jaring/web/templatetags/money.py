"""``{% load money %}``: Rupiah that never breaks across lines, and the one money-breakdown component.

- ``{{ amount|rp }}`` → ``<span class="rp">Rp4.500.200</span>`` (CSS keeps it on one line).
- ``{% breakdown quote_or_bills %}`` → full price per program, the discount as its own line, and the
  total (``web/_breakdown.html``); the rows carry ``data-amount``/``data-discount``/``data-total`` so a test
  can check that every rendered breakdown adds up.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from jaring.contributions.money import breakdown_of

register = template.Library()


@register.filter
def rp(value):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    sign = "−" if n < 0 else ""
    return format_html('<span class="rp">{}Rp{}</span>', sign, intcomma(abs(n)))


@register.inclusion_tag("web/_breakdown.html")
def breakdown(obj, title="", extra=None):
    """``title``: the caption (default "Total sebulan"); ``extra``: rows after the total, e.g. an admin fee."""
    return {"b": breakdown_of(obj), "title": title, "extra": extra or []}
