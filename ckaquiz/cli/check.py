"""`check`: deck problems as `file:line: message`, or with --facts the known misconceptions notes state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ckaquiz.cli.context import say, shared_context, warn
from ckaquiz.cli.failures import fail, handled
from ckaquiz.printable import escape_json_controls
from ckaquiz.ui.plurals import plural


@handled
def check(
    context: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Deck files or folders (default: every registered source)."),
    ] = None,
    facts: Annotated[
        bool,
        typer.Option(
            "--facts",
            help="Check the claims in these notes (Markdown files, folders, vaults) against the misconception bank.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --facts: print the hits as a JSON array.")] = False,
) -> None:
    """Validate decks: print each problem as `file:line: message`; exit 1 if there are any.

    With --facts, read notes (never edited) and print each known misconception they state as
    `file:line: what the note says — what the documentation says (reference)`; exit 1 if any.
    Example: `ckaquiz check --facts ~/vault/Daily`.
    """
    if facts:
        _check_facts(list(paths or []), as_json=as_json)
        return
    if as_json:
        raise fail("--json goes with --facts (deck problems print as `file:line: message`)")
    from ckaquiz.catalog import check_decks, check_paths
    from ckaquiz.config import builtin_decks_folder, home_folder, load_settings
    from ckaquiz.decks.loader import load_decks
    from ckaquiz.importing import source_decks, transient_source

    shared = shared_context(context)
    targets = list(paths or [])
    sources = []
    if not targets:
        collection = shared.collection
        collection.ensure_builtin_source()
        from ckaquiz.store import registered_sources

        sources = list(registered_sources(collection.store))
        targets = [Path(source.path) for source in sources]
    missing = [path for path in targets if not path.exists()]
    if missing:
        raise fail(f"{missing[0]}: no such file or folder")
    # Each path is read with the settings `import` would use: its plugin settings, its source's options.
    skip = load_settings(home_folder()).skip_headings
    builtin = builtin_decks_folder().resolve()
    settings_warnings: list[str] = []
    decks = []
    for index, target in enumerate(targets):
        if target.expanduser().resolve() == builtin or not (target.is_dir() or target.is_file()):
            # the built-in decks read without note options; a pipe or device is refused by the loader
            decks.extend(load_decks([target]))
            continue
        source = sources[index] if sources else transient_source(target)
        decks.extend(source_decks(source, skip_headings=skip, problems=settings_warnings))
    count, problems = check_decks(decks) if targets else check_paths([])
    warn(settings_warnings)
    shown = [str(problem) for problem in problems] + _bank_problems(targets)
    for line in shown:
        say(line)
    say(f"{plural(count, 'card')}, {plural(len(shown), 'problem')}", err=True)
    if shown:
        raise typer.Exit(1)


def _bank_problems(targets: list[Path]) -> list[str]:
    """Problems of the misconception banks among the checked files and folders (a folder's own bank only)."""
    from ckaquiz.misconceptions import load_bank

    banks = [path for path in targets if path.is_file() and path.name.lower() == "misconceptions.yaml"]
    banks += [path / "misconceptions.yaml" for path in targets if (path / "misconceptions.yaml").is_file()]
    return [str(problem) for bank in banks for problem in load_bank(bank).problems]


def _check_facts(paths: list[Path], *, as_json: bool) -> None:
    from ckaquiz.fact_check import check_notes
    from ckaquiz.misconceptions import builtin_bank

    if not paths:
        raise fail("check --facts needs one or more notes: Markdown files or folders")
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise fail(f"{missing[0]}: no such file or folder")
    warn([str(problem) for problem in builtin_bank().problems])
    result = check_notes(paths)
    warn(list(result.problems))
    if as_json:
        found = [hit.to_dict() for hit in result.hits]
        typer.echo(escape_json_controls(json.dumps(found, ensure_ascii=False, indent=1)))
    else:
        for hit in result.hits:
            say(hit.line())
    say(f"{plural(result.notes, 'note')}, {plural(len(result.hits), 'misconception')}", err=True)
    if result.hits:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `check` to the app."""
    app.command()(check)
