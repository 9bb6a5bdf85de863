from ninja.security import HttpBearer, SessionAuth

from jaring.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``jaring tokens create``."""

    def authenticate(self, request, token):
        user = user_for_token(token, request)
        if user is None:
            return None
        request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session (pages calling the API with htmx); CSRF-checked.

    Without a signed-in session this scheme does not apply at all (so a request with no credentials
    is 401, not a CSRF 403).
    """

    def __call__(self, request):
        if not getattr(getattr(request, "user", None), "is_authenticated", False):
            return None
        return super().__call__(request)


PEOPLE = [BearerToken(), Session()]
