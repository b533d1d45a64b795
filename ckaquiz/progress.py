"""How long work (a scan, a first import, an Anki package) says how far it is.

The work calls a `Progress` with what is done, of how many, and what it is doing for the screen
(`reading NOTE.md`, `scoring ...`); the command line draws it as a bar on a terminal and passes
nothing otherwise. The core never draws anything itself.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""Told (done, of how many, what is being done)."""
