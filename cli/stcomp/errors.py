"""Exit codes and the errors that map to them.

Every command uses the same codes: 0 ok, 1 a check or a service failed, 2 usage or
configuration error (nothing was started), 130 interrupted (everything was torn down).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class StcompError(Exception):
    """An error with a one-line message for the user and an exit code."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(StcompError):
    """Bad input: unknown names, malformed definitions, taken ports. Nothing was started."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A stack definition, Procfile or .env file that cannot be used."""


class ServiceFailed(StcompError):
    """A service exited or never became ready; the rest was torn down."""

    def __init__(
        self,
        service: str,
        reason: str,
        log_tail: list[str] | None = None,
        *,
        hint: str | None = None,
    ) -> None:
        super().__init__(f"service '{service}' {reason}", hint=hint)
        self.service = service
        self.reason = reason
        self.log_tail = log_tail or []


class Interrupted(StcompError):
    """Ctrl-C or a termination signal; everything was torn down."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, message: str = "interrupted; everything was torn down") -> None:
        super().__init__(message)
