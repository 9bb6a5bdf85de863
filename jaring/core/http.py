from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jaring.core.errors import Forbidden, NotFound


def domain_errors_as_http(view):
    """A selector's NotFound becomes the 404 page and Forbidden the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404
        except Forbidden:
            raise PermissionDenied
    return wrapper
