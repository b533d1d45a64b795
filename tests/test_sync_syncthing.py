"""A real sync engine end to end: Syncthing. Two Syncthing instances on 127.0.0.1 (own homes, GUI/API and sync
ports, discovery and relays off) share one folder; a study session on one device, Syncthing carries its file,
`ckaquiz sync` on the other: both have the same review log and card states. Skipped where Syncthing is absent."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("syncthing") is None, reason="Syncthing is not installed")

DECK = "deck: s\ncards:\n" + "".join(f"  - {{front: q{n}, back: a{n}, id: c{n}}}\n" for n in range(4))
FOLDER_ID = "ckaquiz-history"
WAIT_SECONDS = 45.0
"""How long the test waits for Syncthing to connect and carry a file (a guard, not a timing assertion)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    home: Path
    folder: Path
    device_id: str
    api_key: str
    gui_port: int
    sync_port: int
    process: subprocess.Popen[bytes] | None = None

    def call(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}", method=method, headers={"X-API-Key": self.api_key}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None


def generated(root: Path, name: str) -> Instance:
    home = root / f"st-{name}"
    done = subprocess.run(
        ["syncthing", "generate", f"--home={home}", "--no-default-folder"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    tree = ElementTree.parse(home / "config.xml")
    device = tree.getroot().find("device")
    assert device is not None
    folder = root / f"shared-{name}"
    (folder / ".stfolder").mkdir(parents=True)
    return Instance(home, folder, device.attrib["id"], f"key-{name}", free_port(), free_port())


def configure(instance: Instance, other: Instance) -> None:
    """Both devices known to each other, one shared folder, only 127.0.0.1, nothing announced or relayed."""
    path = instance.home / "config.xml"
    tree = ElementTree.parse(path)
    root = tree.getroot()
    gui = root.find("gui")
    assert gui is not None
    gui.attrib["tls"] = "false"
    for tag, value in (("address", f"127.0.0.1:{instance.gui_port}"), ("apikey", instance.api_key)):
        element = gui.find(tag)
        if element is None:
            element = ElementTree.SubElement(gui, tag)
        element.text = value
    options = root.find("options")
    assert options is not None
    for element in options.findall("listenAddress"):
        options.remove(element)
    ElementTree.SubElement(options, "listenAddress").text = f"tcp://127.0.0.1:{instance.sync_port}"
    settings = {
        "globalAnnounceEnabled": "false",
        "localAnnounceEnabled": "false",
        "relaysEnabled": "false",
        "natEnabled": "false",
        "startBrowser": "false",
        "urAccepted": "-1",
        "autoUpgradeIntervalH": "0",
        "crashReportingEnabled": "false",
    }
    for tag, value in settings.items():
        element = options.find(tag)
        if element is None:
            element = ElementTree.SubElement(options, tag)
        element.text = value
    peer = ElementTree.SubElement(
        root, "device", {"id": other.device_id, "name": other.home.name, "compression": "metadata"}
    )
    ElementTree.SubElement(peer, "address").text = f"tcp://127.0.0.1:{other.sync_port}"
    folder = ElementTree.Element(
        "folder",
        {
            "id": FOLDER_ID,
            "label": "ckaquiz",
            "path": str(instance.folder),
            "type": "sendreceive",
            "rescanIntervalS": "3600",
            "fsWatcherEnabled": "false",
        },
    )
    for device_id in (instance.device_id, other.device_id):
        ElementTree.SubElement(folder, "device", {"id": device_id})
    root.insert(0, folder)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def wait_for(what: str, check: object) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.2)
    pytest.fail(f"Syncthing: {what} within {WAIT_SECONDS:.0f} s")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    first, second = generated(tmp_path, "laptop"), generated(tmp_path, "desktop")
    configure(first, second)
    configure(second, first)
    environment = dict(os.environ, STNOUPGRADE="1", STNODEFAULTFOLDER="1")
    try:
        for instance in (first, second):
            with (instance.home / "syncthing.log").open("wb") as log:
                instance.process = subprocess.Popen(
                    ["syncthing", "serve", f"--home={instance.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=environment,
                )
        for instance in (first, second):
            wait_for("the REST API answering", lambda instance=instance: instance.call("GET", "/rest/system/ping"))
        wait_for(
            "the two devices connecting",
            lambda: first.call("GET", "/rest/system/connections")["connections"][second.device_id]["connected"],  # type: ignore[index]
        )
        yield first, second
    finally:
        for instance in (first, second):
            if instance.process is not None:
                instance.process.terminate()
                try:
                    instance.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    instance.process.kill()
                    instance.process.wait()


def log_of(home: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    connection = sqlite3.connect(home / "ckaquiz.db")
    try:
        reviews = connection.execute(
            "SELECT card_id, rating, reviewed_at FROM reviews WHERE undone_at IS NULL ORDER BY card_id, reviewed_at"
        ).fetchall()
        cards = connection.execute("SELECT id, state, stability, difficulty, due, reps FROM cards ORDER BY id").fetchall()
        return reviews, cards
    finally:
        connection.close()


def test_syncthing_carries_a_study_session_to_the_other_device(tmp_path: Path, pair: tuple[Instance, Instance]) -> None:
    deck = tmp_path / "s.yaml"
    deck.write_text(DECK, encoding="utf-8")
    environments = []
    for instance in pair:
        home = tmp_path / f"{instance.home.name}-home"
        home.mkdir()
        (home / "config.toml").write_text("builtin_decks = false\n", encoding="utf-8")
        env = {"CKAQUIZ_HOME": str(home), "CKAQUIZ_NOW": "2025-03-19T09:00:00+00:00"}
        assert run_cli("import", str(deck), env=env).returncode == 0
        done = run_cli("sync", "init", str(instance.folder / "ckaquiz"), env=env)
        assert done.returncode == 0, done.stderr
        environments.append(env)
    laptop, desktop = pair
    studied = run_cli("study", "--plain", input_text="\ngood\n\nagain\n\neasy\n", env=environments[0])
    assert studied.returncode == 0, studied.stderr
    written = sorted((laptop.folder / "ckaquiz" / "devices").glob("*/*.jsonl"))
    assert len(written) == 1
    relative = written[0].relative_to(laptop.folder)
    laptop.call("POST", f"/rest/db/scan?folder={FOLDER_ID}")
    arrived = desktop.folder / relative
    wait_for(
        "the laptop's events reaching the desktop's folder",
        lambda: arrived.is_file() and arrived.read_bytes() == written[0].read_bytes(),
    )
    done = run_cli("sync", env=environments[1])
    assert done.returncode == 0, done.stderr
    reviews, cards = log_of(Path(environments[0]["CKAQUIZ_HOME"]))
    assert len(reviews) == 3
    assert log_of(Path(environments[1]["CKAQUIZ_HOME"])) == (reviews, cards)
