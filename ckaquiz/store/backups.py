"""Where a database's backups live and which of them exist: their names, the newest worth restoring,
and the advice a damaged database's error gives.

The store needs these to judge a missing database (backups say one existed) and to name the way
back from a damaged one; making and restoring copies is `ckaquiz.backup`'s.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from ckaquiz.store.integrity import marker_path

BACKUPS_FOLDER_NAME = "backups"
DAMAGED_SUFFIX = "-damaged"
BACKUP_NAME = re.compile(r"^ckaquiz-(\d{4}-\d{2}-\d{2})(?:-(\d{6}))?(.*)\.db$")
"""`ckaquiz-YYYY-MM-DD[-HHMMSS][suffix].db`: a backup's day, time and kind."""


def backups_folder(home: Path) -> Path:
    """The folder of backups inside the data folder."""
    return home / BACKUPS_FOLDER_NAME


def has_backups(folder: Path) -> bool:
    """Whether the folder holds any backup (a sign that a database existed)."""
    return bool(list_backups(folder))


def list_backups(folder: Path) -> list[Path]:
    """Backups in the folder, oldest first (by the date and time in their names)."""
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, str, str], Path]] = []
    for path in folder.iterdir():
        match = BACKUP_NAME.match(path.name)
        if match is not None and path.is_file():
            found.append(((match.group(1), match.group(2) or "", match.group(3)), path))
    return [path for _, path in sorted(found)]


def newest_backup(folder: Path) -> Path | None:
    """The most recent backup worth restoring (copies of damaged databases are left out)."""
    candidates = [path for path in list_backups(folder) if not path.stem.endswith(DAMAGED_SUFFIX)]
    return candidates[-1] if candidates else None


def restore_hint(database_path: Path) -> str:
    """The advice added to a damaged-database error: the restore command, or where backups go."""
    folder = backups_folder(database_path.parent)
    newest = newest_backup(folder)
    if newest is None:
        marker = marker_path(database_path).name
        return f"no backup found in {folder}; move the file aside and delete {marker} to start a new database"
    return f"restore a backup with: ckaquiz restore {shlex.quote(str(newest))}"
