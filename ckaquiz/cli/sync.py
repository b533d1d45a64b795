"""`ckaquiz sync`: one history across devices through a folder the learner's sync engine carries.

`register(app)` adds the `sync` group to the main app; the cheap exchange every other command does
at its start and end is the shared context's (`ckaquiz.cli.context`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ckaquiz.cli.context import say, shared_context, warn
from ckaquiz.cli.failures import fail, handled
from ckaquiz.ui.plurals import plural

sync_app = typer.Typer(
    help=(
        "Share the review history with your other devices through a folder your sync engine already carries."
        " Examples: `ckaquiz sync init ~/Sync/ckaquiz`, `ckaquiz sync`, `ckaquiz sync status`."
    ),
    invoke_without_command=True,
)


@sync_app.callback()
@handled
def sync_now(context: typer.Context) -> None:
    """Exchange with the sync folder now: write this device's new events, apply the other devices'.

    \b
    Examples:
      ckaquiz sync init ~/Sync/ckaquiz
      ckaquiz sync
      ckaquiz sync status
    """
    if context.invoked_subcommand is not None:
        return
    from ckaquiz.sync.setup import exchange_now

    shared = shared_context(context)
    report = exchange_now(shared.collection)
    if report is None:
        raise fail("sync is not set up; name a synced folder with: ckaquiz sync init FOLDER")
    warn(report.problems)
    opening = shared.opening_exchange  # the exchange as the collection opened did most of the work
    written = report.written + (opening.written if opening else 0)
    applied = report.applied + (opening.applied if opening else 0)
    waiting = f", {report.waiting} waiting for their cards" if report.waiting else ""
    say(f"sync: {plural(written, 'event')} written, {applied} applied{waiting}")


@sync_app.command("init")
@handled
def sync_init(
    context: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="A folder your sync engine carries (not a vault's).")
    ],
) -> None:
    """Name the synced folder (saved as `sync_folder` in config.toml) and give this device its id.

    \b
    Examples:
      ckaquiz sync init ~/Sync/ckaquiz
      ckaquiz sync init ~/notes-repo/.ckaquiz-sync
    """
    from ckaquiz.sync.setup import init_sync

    shared = shared_context(context)
    device, path = init_sync(shared.collection, folder)
    say(f"this device is {device}; sync folder {folder.expanduser().resolve()} saved to {path}")


@sync_app.command("status")
@handled
def sync_status_command(context: typer.Context) -> None:
    """List the devices seen, when each last wrote, and how many of their events are applied.

    \b
    Examples:
      ckaquiz sync status
      ckaquiz sync status | cut -f1
    """
    from ckaquiz.sync.setup import sync_status

    shared = shared_context(context)
    status = sync_status(shared.collection)
    if status.folder is None or status.device is None:
        say("sync is not set up (ckaquiz sync init FOLDER)")
        return
    say(f"folder\t{status.folder}")
    say(f"this device\t{status.device}\t{plural(status.outbox, 'change')} not yet written")
    for device in status.devices:
        mine = " (this device)" if device.device == status.device else ""
        counts = f"{device.applied} of {plural(device.events, 'event')} applied"
        say(f"{device.device}{mine}\tlast {device.last_at}\t{counts}")


def register(app: typer.Typer) -> None:
    """Add the `sync` group to the app (once)."""
    if "sync" not in {group.name for group in app.registered_groups}:
        app.add_typer(sync_app, name="sync")
