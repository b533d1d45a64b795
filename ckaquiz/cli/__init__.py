"""The command line (`ckaquiz`): the typer app in `ckaquiz.cli.app`, one module per command group."""

from ckaquiz.cli.app import app, main, main_callback

__all__ = ["app", "main", "main_callback"]
