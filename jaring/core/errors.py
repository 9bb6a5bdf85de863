"""One error type for everything a person can fix; the API turns it into JSON, the CLI into exit 2."""

from jaring.rules.errors import RuleError


class DomainError(RuleError):
    """A refused business action.

    ``status`` follows CONTRACT.md: 403 outside scope, 404 unknown, 409 conflict, 422 invalid input.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None, status: int = 422):
        super().__init__(message, errors)
        self.status = status


class NotFound(DomainError):
    def __init__(self, message: str = "Data tidak ditemukan."):
        super().__init__(message, status=404)


class Forbidden(DomainError):
    def __init__(self, message: str = "Anda tidak berwenang melihat atau mengubah data ini."):
        super().__init__(message, status=403)


class Conflict(DomainError):
    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message, errors, status=409)
