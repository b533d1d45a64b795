"""Errors a user can cause and fix: each becomes one clear line, never a traceback."""

from __future__ import annotations


class CkaquizError(Exception):
    """Base of every error ckaquiz reports to the user as one line."""


class DeckError(CkaquizError):
    """A deck file that cannot be read at all, with the file and line where it went wrong."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class StoreError(CkaquizError):
    """The database cannot be opened or used (damaged, newer schema, locked too long)."""


class UsageError(CkaquizError):
    """Filters or arguments that name nothing (unknown deck, unknown tag, bad date)."""


class ConfigError(CkaquizError):
    """A config file that cannot be read."""
