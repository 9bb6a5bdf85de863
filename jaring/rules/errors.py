class RuleError(ValueError):
    """Input a person can fix. ``errors`` maps a field name to a message in Bahasa Indonesia."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
