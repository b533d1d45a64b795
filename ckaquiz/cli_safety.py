"""The `backup` and `restore` commands, added to the main app by `register(app)`.

They work on the database file directly, without opening the collection: a damaged database
cannot be opened, and restoring it is exactly what these commands are for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ckaquiz.cli_context import fail, say
from ckaquiz.errors import CkaquizError


def backup(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE", help="Where to write the copy (default: backups/ckaquiz-DATE-TIME.db in the data folder)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy the database now (SQLite's online backup, safe while a session runs)."""
    from ckaquiz.backup import backup_now, backups_folder, keep_setting, make_backup
    from ckaquiz.clock import clock_from_environment
    from ckaquiz.config import DATABASE_NAME, home_folder, load_settings

    try:
        home = home_folder()
        database = home / DATABASE_NAME
        if file is None:
            keep = keep_setting(load_settings(home))
            made = backup_now(database, backups_folder(home), now=clock_from_environment()(), keep=keep)
        else:
            made = make_backup(database, file.expanduser(), overwrite=force)
    except CkaquizError as error:
        raise fail(str(error)) from None
    say(f"backed up {database} to {made}")


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup to put in place of the database.")],
) -> None:
    """Replace the database with a backup, after checking it; the replaced database is kept in backups/."""
    from ckaquiz.backup import backups_folder, keep_setting, restore_backup
    from ckaquiz.clock import clock_from_environment
    from ckaquiz.config import DATABASE_NAME, home_folder, load_settings

    try:
        home = home_folder()
        database = home / DATABASE_NAME
        keep = keep_setting(load_settings(home))
        result = restore_backup(
            database, file.expanduser(), backups_folder(home), now=clock_from_environment()(), keep=keep
        )
    except CkaquizError as error:
        raise fail(str(error)) from None
    restored = result.restored
    kept = f"; the replaced database is kept as {result.replaced}" if result.replaced is not None else ""
    say(f"restored {database} from {file} ({restored.reviews} reviews, schema {restored.schema_version}){kept}")


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the app (once, however often this is called)."""
    known = {command.name for command in app.registered_commands}
    if "backup" not in known:
        app.command("backup")(backup)
    if "restore" not in known:
        app.command("restore")(restore)
