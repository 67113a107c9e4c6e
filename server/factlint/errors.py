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
