from ninja.security import HttpBearer, SessionAuth

from jaring.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``jaring tokens create``."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session (pages calling the API with htmx); CSRF-checked."""


PEOPLE = [BearerToken(), Session()]
