"""The domain errors: what a service refuses, and why, in words for the user.

Every service of every app raises one of these; nothing else reaches a user. The class says what
kind of refusal it is, so each door answers it the same way without knowing the service: pages
show the message (a form puts an ``InvalidInput`` on its ``field``), and the API turns the class
into an HTTP status in one place, api/exceptions.py (``NotAllowed`` 403, ``InvalidState`` 409,
``InvalidInput`` 400 naming the field, ``LimitReached`` 429 with ``Retry-After``).

The HTTP error *views* (handler400 … handler500) are in spotter/error_views.py.
"""

from __future__ import annotations

from collections.abc import Sequence


class SpotterError(Exception):
    """A refusal the user is told about. ``message`` is one line or a list of lines (e.g. one
    per refused screenshot); ``field`` names the input it is about (None: the request as a
    whole); ``code`` is the machine-readable reason the API returns."""

    code = "error"

    def __init__(
        self, message: str | Sequence[str], *, field: str | None = None, code: str | None = None
    ):
        self.messages = [str(message)] if isinstance(message, str) else [str(m) for m in message]
        self.field = field
        if code is not None:
            self.code = code
        super().__init__("; ".join(self.messages))


class NotAllowed(SpotterError):
    """This user may not do this at all (whatever the state)."""

    code = "permission_denied"


class InvalidState(SpotterError):
    """Not possible now: the object's current state does not allow it."""

    code = "invalid_transition"


class InvalidInput(SpotterError):
    """What was sent is not acceptable; ``errors`` maps each field (None: no one field) to its
    messages, so one refusal can name several fields at once (see ``combine``)."""

    code = "invalid"

    def __init__(
        self,
        message: str | Sequence[str],
        *,
        field: str | None = None,
        code: str | None = None,
        errors: dict[str | None, list[str]] | None = None,
    ):
        super().__init__(message, field=field, code=code)
        self.errors = errors if errors is not None else {field: self.messages}

    @classmethod
    def combine(cls, problems: Sequence[InvalidInput]) -> InvalidInput:
        """One error carrying every problem, each still on its own field."""
        errors: dict[str | None, list[str]] = {}
        for problem in problems:
            for name, messages in problem.errors.items():
                errors.setdefault(name, []).extend(messages)
        return cls([m for messages in errors.values() for m in messages], errors=errors)


class LimitReached(SpotterError):
    """A limit is used up; ``retry_after`` (seconds) says when it frees up, if it does."""

    code = "throttled"

    def __init__(self, message: str | Sequence[str], *, retry_after: int | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after
