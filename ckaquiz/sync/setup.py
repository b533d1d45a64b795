"""Setting sync up (`sync_folder` in config.toml and a device id), its status, and the exchange of a command."""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ckaquiz.collection import Collection
from ckaquiz.config import CONFIG_NAME, DATABASE_NAME
from ckaquiz.errors import ConfigError
from ckaquiz.store import sync_state
from ckaquiz.sync.exchange import ExchangeReport, exchange
from ckaquiz.sync.folder import DEVICES

_SETTING = re.compile(r"^\s*sync_folder\s*=")
_TABLE = re.compile(r"^\s*\[")


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
    """Write `sync_folder = "..."` at the top of the data folder's config.toml, keeping the rest of the file."""
    path = home / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        old = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    lines = text.splitlines(keepends=True)
    top = next((index for index, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    kept = [line for index, line in enumerate(lines) if index >= top or not _SETTING.match(line)]
    updated = f"sync_folder = {json.dumps(folder, ensure_ascii=False)}\n" + "".join(kept)
    try:
        new = tomllib.loads(updated)
    except tomllib.TOMLDecodeError:
        new = None
    old.pop("sync_folder", None)
    if new is None or new.pop("sync_folder", None) != folder or new != old:
        raise ConfigError(
            f"cannot update {CONFIG_NAME} safely; set this line at its top yourself:"
            f" sync_folder = {json.dumps(folder, ensure_ascii=False)}"
        )
    home.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{CONFIG_NAME}.", suffix=".part", dir=home)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(updated)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


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
