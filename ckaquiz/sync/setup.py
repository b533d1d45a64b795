"""Setting sync up (`sync_folder` in config.toml and a device id), its status, and the exchange of a command."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.config import DATABASE_NAME, save_setting
from ckaquiz.errors import ConfigError
from ckaquiz.store import sync_state
from ckaquiz.sync.exchange import ExchangeReport, exchange
from ckaquiz.sync.folder import DEVICES


def sync_folder(collection: Collection) -> Path | None:
    """The configured sync folder, or None when sync is not set up."""
    text = collection.settings.sync_folder.strip()
    return Path(text).expanduser() if text else None


def init_sync(collection: Collection, folder: Path) -> tuple[str, Path]:
    """Name `folder` as the sync folder in config.toml and give this database its device id.

    Refuses a folder that holds the database itself: two writers of one SQLite file corrupt it.
    Returns the device id and the config file written.
    """
    chosen = folder.expanduser().resolve()
    home = collection.home.resolve()
    if home == chosen or chosen in home.parents:
        raise ConfigError(
            f"{chosen}: holds {home / DATABASE_NAME}; a database must never be in a synced folder (two writers"
            " corrupt it): choose a folder outside the data folder"
        )
    if chosen.exists() and not chosen.is_dir():
        raise ConfigError(f"{chosen}: not a folder")
    try:
        (chosen / DEVICES).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{chosen}: cannot be made ({error.strerror or error})") from None
    path = save_sync_folder(collection.home, str(chosen))
    device = sync_state.start_device(collection.store)
    return device, path


def save_sync_folder(home: Path, folder: str) -> Path:
    """Write `sync_folder = "..."` into the data folder's config.toml, keeping the rest of the file."""
    return save_setting(home, "sync_folder", folder, f"sync_folder = {json.dumps(folder, ensure_ascii=False)}")


def exchange_now(collection: Collection) -> ExchangeReport | None:
    """An exchange with the configured folder; None (at once) when sync is not set up."""
    folder = sync_folder(collection)
    if folder is None:
        return None
    if not (folder / DEVICES).is_dir():
        return ExchangeReport(problems=[f"{folder}: the sync folder is not there (not synced yet?); no exchange"])
    return exchange(collection.store, collection.scheduler, folder, now=collection.now())


@dataclass(frozen=True)
class SyncStatus:
    """`ckaquiz sync status`: this device, the folder, and every device seen."""

    device: str | None
    folder: Path | None
    devices: list[sync_state.DeviceSummary]
    outbox: int


def sync_status(collection: Collection) -> SyncStatus:
    store = collection.store
    outbox = int(store.connection.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])
    return SyncStatus(sync_state.device_id(store), sync_folder(collection), sync_state.device_summaries(store), outbox)
