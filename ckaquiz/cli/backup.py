"""`backup` and `restore`: a copy of the database made now, or put back in its place.

They work on the database file directly, without opening the collection: a damaged database
cannot be opened, and restoring it is exactly what these commands are for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.cli.context import say
from ckaquiz.cli.failures import fail, handled
from ckaquiz.printable import neutralise
from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from ckaquiz.backup import BackupEntry


@handled
def backup(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE", help="Where to write the copy (default: backups/ckaquiz-DATE-TIME.db in the data folder)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    list_them: Annotated[
        bool, typer.Option("--list", help="List the backups kept: date, tier, size and review count.")
    ] = False,
) -> None:
    """Copy the database now (SQLite's online backup, safe while a session runs).

    Examples: `ckaquiz backup`, `ckaquiz backup ~/safe/cka.db`, `ckaquiz backup --list`.
    """
    from ckaquiz.backup import (
        backup_entries,
        backup_now,
        backups_folder,
        clear_partial_copies,
        make_backup,
        retention_setting,
    )
    from ckaquiz.clock import clock_from_environment
    from ckaquiz.config import DATABASE_NAME, home_folder, load_settings
    from ckaquiz.library import open_data_folder

    home = open_data_folder(home_folder())
    clear_partial_copies(home)
    database = home / DATABASE_NAME
    retention = retention_setting(load_settings(home))
    now = clock_from_environment()()
    if list_them:
        if file is not None:
            raise fail("--list takes no FILE")
        _print_entries(backup_entries(backups_folder(home), retention=retention, today=now.astimezone().date()))
        return
    if file is None:
        made = backup_now(database, backups_folder(home), now=now, retention=retention)
    else:
        made = make_backup(database, file.expanduser(), overwrite=force, check_source=True)
    say(f"backed up {database} to {made}")


def _print_entries(entries: list[BackupEntry]) -> None:
    if not entries:
        typer.echo("no backups yet (one is made each day before the first write, or with `ckaquiz backup`)")
        return
    for entry in entries:
        reviews = "unreadable" if entry.reviews is None else plural(entry.reviews, "review")
        fields = (entry.day.isoformat(), entry.tier, _size_text(entry.size), reviews, str(entry.path))
        typer.echo("\t".join(neutralise(field, single_line=True) for field in fields))


def _size_text(size: int) -> str:
    """A file size in B, KB, MB or GB (powers of 1024), one decimal from KB up."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


@handled
def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup to put in place of the database.")],
) -> None:
    """Replace the database with a backup, after checking it; the replaced database is kept in backups/.

    Only an intact ckaquiz database whose schema is exactly one this version writes is accepted.
    Example: `ckaquiz restore ~/.local/share/ckaquiz/backups/ckaquiz-2025-03-19.db`.
    """
    from ckaquiz.backup import backups_folder, clear_partial_copies, restore_backup, retention_setting
    from ckaquiz.clock import clock_from_environment
    from ckaquiz.config import DATABASE_NAME, home_folder, load_settings
    from ckaquiz.library import open_data_folder

    home = open_data_folder(home_folder())
    clear_partial_copies(home)
    database = home / DATABASE_NAME
    retention = retention_setting(load_settings(home))
    result = restore_backup(
        database, file.expanduser(), backups_folder(home), now=clock_from_environment()(), retention=retention
    )
    restored = result.restored
    kept = f"; the replaced database is kept as {result.replaced}" if result.replaced is not None else ""
    reviews = plural(restored.reviews, "review")
    say(f"restored {database} from {file} ({reviews}, schema {restored.schema_version}){kept}")


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
