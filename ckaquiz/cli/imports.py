"""`import`: register deck files, folders, Obsidian vaults and notes, or convert Anki packages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ckaquiz.cli.context import Context, say, shared_context, warn
from ckaquiz.cli.failures import fail, handled
from ckaquiz.ui.plurals import plural


@handled
def import_command(
    context: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Deck files, folders of decks, Obsidian vaults, single notes or Anki packages."
        ),
    ],
    deck: Annotated[
        str | None,
        typer.Option(
            "--deck", "-d", metavar="NAME", help="Deck name (default: the deck's own, or the file/folder name)."
        ),
    ] = None,
    exclude: Annotated[
        list[str], typer.Option("--exclude", metavar="GLOB", help="Skip notes or folders matching this glob.")
    ] = [],
    tag_folder: Annotated[
        str | None,
        typer.Option(
            "--tag-folder", metavar="FOLDER", help="Folder whose links are tags (default: any folder named *Tags*)."
        ),
    ] = None,
    skip_heading: Annotated[
        list[str], typer.Option("--skip-heading", metavar="HEADING", help="Skip sections with this heading.")
    ] = [],
    card_separator: Annotated[
        str | None, typer.Option("--card-separator", metavar="SEP", help="Single-line card separator (::).")
    ] = None,
    reversed_card_separator: Annotated[
        str | None,
        typer.Option("--reversed-card-separator", metavar="SEP", help="Two-way single-line separator (:::)."),
    ] = None,
    multiline_separator: Annotated[
        str | None, typer.Option("--multiline-separator", metavar="LINE", help="Multi-line card separator line (?).")
    ] = None,
    multiline_reversed_separator: Annotated[
        str | None,
        typer.Option("--multiline-reversed-separator", metavar="LINE", help="Two-way multi-line separator line (??)."),
    ] = None,
    multiline_end_marker: Annotated[
        str | None,
        typer.Option(
            "--multiline-end-marker", metavar="LINE", help="Line that ends a multi-line card (default: blank)."
        ),
    ] = None,
    cloze: Annotated[
        list[str],
        typer.Option("--cloze", metavar="STYLE", help="Cloze styles: highlight (==x==), bold (**x**), curly ({{x}})."),
    ] = [],
    flashcards_only: Annotated[
        bool,
        typer.Option(
            "--flashcards-only", help="Only the inline flashcards (Q::A, ?, clozes): no recall card per section."
        ),
    ] = False,
    decks_from_folders: Annotated[
        bool,
        typer.Option(
            "--decks-from-folders", help="One deck per top-level folder of a vault (the plugin's folders-as-decks)."
        ),
    ] = False,
    with_history: Annotated[
        bool,
        typer.Option("--with-history", help="Anki packages: bring the review log in, so cards keep their schedule."),
    ] = False,
    include_all: Annotated[
        bool,
        typer.Option(
            "--include-all",
            help="Also read what is not study material by default: diary, plan and own-recall sections, "
            "Templates folders, Excalidraw drawings.",
        ),
    ] = False,
) -> None:
    """Register decks or Obsidian notes; they are re-read whenever they change, never written to.

    Several paths with --deck read into that one deck.

    An Anki package (.apkg, .colpkg) is converted once into deck files in the data folder's
    `imported/` folder; importing it again updates them in place.

    \b
    Examples:
      ckaquiz import ~/notes/cka.yaml
      ckaquiz import ~/vault --deck vault --exclude "Templates/*"
      ckaquiz import a.md b.md notes/ --deck cka
      ckaquiz import ~/vault --flashcards-only
      ckaquiz import cka.apkg --with-history
      ckaquiz import ~/vault --include-all   # diary and plan sections too
    """
    shared = shared_context(context)
    options: dict[str, Any] = {
        "exclude": exclude,
        "tag_folder": tag_folder,
        "skip_headings": skip_heading,
        "card_separator": card_separator,
        "reversed_card_separator": reversed_card_separator,
        "multiline_separator": multiline_separator,
        "multiline_reversed_separator": multiline_reversed_separator,
        "multiline_end_marker": multiline_end_marker,
        "cloze_styles": cloze,
        "flashcards_only": flashcards_only or None,
        "decks_from_folders": decks_from_folders or None,
        "include_all": True if include_all else None,
    }
    unknown = [style for style in cloze if style not in {"highlight", "bold", "curly"}]
    if unknown:
        raise fail(f"unknown cloze style {unknown[0]!r} (use highlight, bold or curly)")
    options = {key: value for key, value in options.items() if value not in (None, [])}
    collection = shared.collection
    collection.ensure_builtin_source()
    for path in paths:
        if path.suffix.lower() in {".apkg", ".colpkg"}:
            _import_anki_package(shared, path, deck=deck, with_history=with_history)
            continue
        try:
            with _progress(shared) as progress:
                source, report = collection.import_path(path, deck=deck, options=options, progress=progress)
        except KeyboardInterrupt:  # the scan is one transaction: it was rolled back whole
            say(f"interrupted: nothing read from {path} was stored; the next command reads it", err=True)
            raise typer.Exit(130) from None
        counts = report.counts
        skipped = f" ({report.files_unchanged} unchanged since the last scan)" if report.files_unchanged else ""
        say(
            f"imported {source.name!r} from {path}: {plural(report.files_read, 'file')} read{skipped}; "
            f"cards: {counts.new} new, {counts.changed} changed, {counts.unchanged} unchanged, "
            f"{counts.retired} retired; {plural(len(report.problems), 'warning')}"
        )
        warn(report.problems)


def _import_anki_package(shared: Context, path: Path, *, deck: str | None, with_history: bool) -> None:
    """Import one Anki package and print what it brought (see `ckaquiz.anki_import`)."""
    from ckaquiz.anki_import import import_package, summary_line

    try:
        with _progress(shared) as progress:
            result = import_package(shared.collection, path, deck=deck, with_history=with_history, progress=progress)
    except KeyboardInterrupt:
        say(f"interrupted: the import of {path} stopped; run it again to finish it", err=True)
        raise typer.Exit(130) from None
    say(summary_line(result, path))
    warn(result.report.problems)


@contextmanager
def _progress(shared: Context) -> Iterator[Callable[[int, int, str], None] | None]:
    """A Rich progress bar on a terminal for scans of many files; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    import time

    from rich.console import Console
    from rich.progress import Progress

    from ckaquiz.ui.text import markup_safe, one_line

    # Refreshed from here, not by Rich's refresh thread: a process running a thread does not
    # fork, and a big scan reads its notes in forked workers (see ckaquiz.reading).
    with Progress(console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("reading notes", total=None)
        shown = 0.0
        phase = ""

        def update(index: int, total: int, doing: str) -> None:
            nonlocal shown, phase
            description = markup_safe(one_line(doing, 50))  # a description is Rich markup
            bar.update(task, completed=index, total=total, description=description)
            doing_now = doing.split(" ", 1)[0]  # reading, then scoring: each shown as it starts
            if doing_now != phase or time.monotonic() - shown >= 0.1:
                bar.refresh()
                shown, phase = time.monotonic(), doing_now

        yield update


def register(app: typer.Typer) -> None:
    """Add `import` to the app."""
    app.command("import")(import_command)
