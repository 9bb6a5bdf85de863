"""The one mapping from domain errors (:mod:`jaring.core.errors`) to pages; the API has its own in
``jaring.api.main`` (the JSON error shape).

:class:`DomainErrorMiddleware` (in ``settings.MIDDLEWARE``) turns what a view lets escape into a page:
``NotFound`` → the 404 page, ``Forbidden`` → the 403 page, ``Conflict`` and any other ``DomainError`` → a
page with the message (409, or the error's status, 400 by default), never a traceback. Views catch a
``DomainError`` themselves only to show it inside a form.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from jaring.core.errors import DomainError, Forbidden, NotFound


def page_for(request, exc: DomainError):
    """The response for a domain error escaping a page (raises Http404/PermissionDenied for Django's
    own 404/403 pages)."""
    if isinstance(exc, NotFound) or exc.status == 404:
        raise Http404(exc.message)
    if isinstance(exc, Forbidden) or exc.status == 403:
        raise PermissionDenied(exc.message)
    status = exc.status if 400 <= (exc.status or 0) < 500 else 400
    return render(request, "core/domain_error.html", {"error": exc}, status=status)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return page_for(request, exception)
        return None


def domain_errors_as_http(view):
    """For a view used outside the middleware (tests calling it directly): the same mapping."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as e:
            return page_for(request, e)
    return wrapper


def raise_access_errors(exc: DomainError) -> None:
    """In a view that shows other domain errors inside its form: let a 403/404 one escape as its page."""
    if exc.status in (403, 404) or isinstance(exc, (NotFound, Forbidden)):
        raise exc
