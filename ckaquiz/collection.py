"""The collection a command opens: its library, and the rescans of its deck sources.

`Collection` is a `Library` (settings, store, clock) that can also refresh its sources and import
new ones; the reading itself is `ckaquiz.importing`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ckaquiz import importing
from ckaquiz.importing import ScanReport
from ckaquiz.library import Library
from ckaquiz.progress import Progress
from ckaquiz.store import SourceRecord


class Collection(Library):
    """A library whose deck sources can be rescanned and added to."""

    def ensure_builtin_source(self) -> None:
        """Register the built-in decks (and the config's deck folders) when they are enabled."""
        importing.ensure_builtin_source(self)

    def refresh(self, *, progress: Progress | None = None, only: list[SourceRecord] | None = None) -> ScanReport:
        """Rescan registered sources; files whose size and mtime are unchanged are skipped."""
        return importing.refresh(self, progress=progress, only=only)

    def import_path(
        self,
        path: Path,
        *,
        deck: str | None = None,
        options: dict[str, Any] | None = None,
        progress: Progress | None = None,
    ) -> tuple[SourceRecord, ScanReport]:
        """Register a deck file, a folder of decks or an Obsidian vault as a source, and scan it."""
        return importing.import_path(self, path, deck=deck, options=options, progress=progress)
