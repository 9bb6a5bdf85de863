"""One page of a list for a web page: ``?page=`` read from the request, 25 rows a page by default.

``Paginator.get_page`` answers the last page for a number past the end and the first page for anything that
is not a number, so a hand-edited or stale link never fails.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def page_of(request, items, per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` (a queryset or a list) asked for by ``request.GET["page"]``."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
