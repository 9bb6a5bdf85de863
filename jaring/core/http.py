"""The one mapping from domain errors (:mod:`jaring.core.errors`) to pages; the API has its own in
``jaring.api.main`` (the JSON error shape).

Pages: ``jaring.core.guard.RequestGuardMiddleware.process_exception`` (in ``settings.MIDDLEWARE``) answers a
``DomainError`` escaping a view with the styled error page and the error's status (``NotFound`` 404,
``Forbidden`` 403, ``Conflict`` 409, invalid input 422), never a traceback. :func:`page_for` is that same
answer for code that catches the error itself. Views catch a ``DomainError`` only to show it inside a form
(:func:`raise_access_errors` lets a 403/404 escape).
"""

from functools import wraps

from jaring.core.errors import DomainError, Forbidden, NotFound
from jaring.core.guard import error_response


def page_for(request, exc: DomainError):
    """The styled page for a domain error (its status; 422 when it has none)."""
    return error_response(request, getattr(exc, "status", 422) or 422, exc.message, getattr(exc, "errors", None))


def domain_errors_as_http(view):
    """For a view used outside the middleware (or wanting to be explicit): the same mapping."""

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
