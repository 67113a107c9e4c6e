"""User-facing errors: one line naming the file (and line) and the reason; exit code 2."""

from __future__ import annotations


class FactlintError(Exception):
    """An input or usage problem the user can fix. Rendered as ``file:line: reason``."""

    def __init__(self, reason: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.reason}"


class DraftTooLarge(FactlintError):
    """A draft over ``max_draft_bytes``: not checked (raised before it is parsed)."""

    def __init__(self, size: int, limit: int, path: str | None = None) -> None:
        super().__init__(f"skipped: larger than {limit} bytes (set max_draft_bytes)", path)
        self.size = size
        self.limit = limit

    def __reduce__(self):  # noqa: ANN204 - picklable across worker processes
        return (DraftTooLarge, (self.size, self.limit, self.path))


class StoreUnavailable(FactlintError):
    """The shared index store stopped answering (the connection dropped, the server went
    down): a check cannot be trusted, so it is abandoned rather than answered without
    facts."""

    def __reduce__(self):  # noqa: ANN204 - picklable across worker processes
        return (StoreUnavailable, (self.reason, self.path, self.line))
