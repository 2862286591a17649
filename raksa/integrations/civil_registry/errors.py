"""What the civil-registry client raises. The caller decides what a failure means for the person at the counter."""


class CivilRegistryError(Exception):
    """A photo could not be had. ``status`` is the registry's HTTP status, None when no answer came."""

    def __init__(self, detail: str = "", *, status: int | None = None) -> None:
        super().__init__(f"civil registry {status or 'no answer'}: {detail}")
        self.status = status
        self.detail = detail


class PersonUnknown(CivilRegistryError):
    """404: the registry holds no photo for this national ID."""


class RegistryUnavailable(CivilRegistryError):
    """No answer (refused, timed out, a TLS or network error) or a 5xx: try again later."""


class RegistryRefused(CivilRegistryError):
    """The registry refused the call itself (401/403: Raksa's token; another 4xx; an answer not in the
    protocol's shape): an operator must look, retrying will not help."""
