"""The command line: each command is options -> one library call -> rendering.

Heavy modules (fsrs, questionary, rich.markdown, yaml) are imported inside the commands
that need them, so `ckaquiz --help` and `--version` start fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ckaquiz import __version__
from ckaquiz.cli_context import Context, DeckOption, TagOption, fail, say, shared_context, warn
from ckaquiz.cli_startup import install as install_startup_shortcuts
from ckaquiz.cli_startup import install_help_format
from ckaquiz.errors import CkaquizError
from ckaquiz.printable import escape_json_controls, neutralise
from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from ckaquiz.collection import ScanReport
    from ckaquiz.filters import Filters

install_startup_shortcuts()  # plain values skip typer's pydantic coercion (see ckaquiz.cli_startup)
install_help_format()  # arguments shown by their metavars

app = typer.Typer(
    name="ckaquiz",
    help="Spaced-repetition study sessions in the terminal for the CKA exam, from Markdown and YAML notes.",
    no_args_is_help=False,
    invoke_without_command=True,  # bare `ckaquiz` prints the help and exits 0 (see main_callback)
    add_completion=True,  # --install-completion / --show-completion; decks and tags complete too
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
sources_app = typer.Typer(
    help="List or remove registered deck sources. Examples: `ckaquiz sources`, `ckaquiz sources remove old-notes`.",
    invoke_without_command=True,
)
app.add_typer(sources_app, name="sources")

LimitOption = Annotated[int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="At most this many cards.")]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DAY", help="Only notes dated on or after this day (YYYY-MM-DD, today, yesterday, Nd)."
    ),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="DAY", help="Only notes dated on or before this day.")
]
EditorOption = Annotated[
    bool, typer.Option("--editor", help="Write recall and manifest answers in $EDITOR instead of the built-in editor.")
]
PlainOption = Annotated[
    bool,
    typer.Option("--plain", help="Plain line protocol: no colours, for scripts and screen readers."),
]
WithTasksOption = Annotated[
    bool,
    typer.Option("--with-tasks", help="Also show exam tasks (`task` cards), which `ckaquiz exam` uses otherwise."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ckaquiz {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Study CKA and AWS notes with FSRS spaced repetition: `ckaquiz study` to start."""
    if context.invoked_subcommand is None:
        typer.echo(context.get_help())
        raise typer.Exit(0)
    shared = Context()
    context.obj = shared
    context.call_on_close(shared.close)


def _filters(
    deck: list[str], tag: list[str], since: str | None = None, until: str | None = None, shared: Context | None = None
) -> Filters:
    from ckaquiz.filters import Filters, parse_day

    now = shared.collection.now() if shared is not None and (since or until) else None
    return Filters(
        decks=tuple(deck),
        tags=tuple(tag),
        since=parse_day(since, now) if since and now else None,
        until=parse_day(until, now) if until and now else None,
    )


def _refresh(shared: Context) -> ScanReport:
    report = shared.collection.refresh()
    warn(report.problems)
    return report


def _run_session(
    context: typer.Context,
    *,
    mode: str,
    deck: list[str],
    tag: list[str],
    limit: int | None,
    shuffle: bool,
    plain: bool,
    since: str | None = None,
    until: str | None = None,
    use_editor: bool = False,
    with_tasks: bool = False,
) -> None:
    from ckaquiz.assessment import assess_response
    from ckaquiz.catalog import validate_filters
    from ckaquiz.session import Mode, Session

    shared = shared_context(context)
    try:
        collection = shared.collection
        _refresh(shared)
        filters = _filters(deck, tag, since, until, shared)
        validate_filters(collection, filters)
        session = Session(
            collection,
            filters,
            mode=Mode(mode),
            limit=limit,
            shuffle=shuffle,
            assessor=lambda card, response, seconds: assess_response(card, response, seconds, collection.settings),
            include_tasks=with_tasks,
        )
        interactive = not plain and sys.stdin.isatty() and sys.stdout.isatty()
        if interactive:
            from ckaquiz.ui.terminal import TerminalFrontEnd

            use_editor = use_editor or bool(collection.settings.extra.get("editor", False))
            TerminalFrontEnd(session, shared.console, use_editor=use_editor).run()
        else:
            from ckaquiz.ui.plain import PlainFrontEnd

            PlainFrontEnd(session, sys.stdin, sys.stdout).run()
    except CkaquizError as error:
        raise fail(str(error)) from None


@app.command()
def study(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    limit: LimitOption = None,
    editor: EditorOption = False,
    plain: PlainOption = False,
    with_tasks: WithTasksOption = False,
) -> None:
    """Study what is due now: learning cards, due reviews (most overdue first), then new cards.

    \b
    Examples:
      ckaquiz study
      ckaquiz study --deck cka-ko --limit 20
      ckaquiz study --tag cka/troubleshooting --plain < answers.txt
    """
    _run_session(
        context,
        mode="study",
        deck=deck,
        tag=tag,
        limit=limit,
        shuffle=False,
        plain=plain,
        use_editor=editor,
        with_tasks=with_tasks,
    )


@app.command()
def review(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    limit: LimitOption = None,
    shuffle: Annotated[bool, typer.Option("--shuffle", help="Show the cards in random order.")] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    editor: EditorOption = False,
    plain: PlainOption = False,
    with_tasks: WithTasksOption = False,
) -> None:
    """Review every card matching the filters, due or not (answers still reschedule them).

    `ckaquiz review --since yesterday` is the daily blank-page review of yesterday's notes.

    \b
    Examples:
      ckaquiz review --tag 2025-03
      ckaquiz review --since yesterday --shuffle
      ckaquiz review --deck cka-storage-volumes --limit 10
    """
    _run_session(
        context,
        mode="review",
        deck=deck,
        tag=tag,
        limit=limit,
        shuffle=shuffle,
        plain=plain,
        since=since,
        until=until,
        use_editor=editor,
        with_tasks=with_tasks,
    )


@app.command("import")
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
    try:
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
    except CkaquizError as error:
        raise fail(str(error)) from None


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

        def update(index: int, total: int, path: str) -> None:
            nonlocal shown
            name = markup_safe(one_line(Path(path).name, 40))  # a description is Rich markup
            bar.update(task, completed=index, total=total, description=f"reading {name}")
            if time.monotonic() - shown >= 0.1:
                bar.refresh()
                shown = time.monotonic()

        yield update


@app.command()
def decks(
    context: typer.Context,
    tag: TagOption = [],
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            metavar="FILE",
            help="Print a Markdown summary of the deck files in this folder (decks/README.md).",
        ),
    ] = None,
) -> None:
    """A table of decks with total, new, learning and due-today counts.

    Piped, one tab-separated line per deck: deck, total, new, learning, due today.

    \b
    Examples:
      ckaquiz decks
      ckaquiz decks --tag cka/storage
      ckaquiz decks --markdown decks/ > decks/README.md
    """
    from rich.table import Table

    from ckaquiz.catalog import deck_rows, deck_summary_markdown, validate_filters
    from ckaquiz.ui.text import plain_cell

    if markdown is not None:
        if not markdown.exists():
            raise fail(f"{markdown}: no such file or folder")
        sys.stdout.write(neutralise(deck_summary_markdown([markdown])))
        return
    shared = shared_context(context)
    try:
        _refresh(shared)
        filters = _filters([], tag)
        validate_filters(shared.collection, filters)
        rows = deck_rows(shared.collection, filters)
    except CkaquizError as error:
        raise fail(str(error)) from None
    if not sys.stdout.isatty():  # piped: one tab-separated line per deck, no totals
        _tab_lines((row.name, row.total, row.new, row.learning, row.due_today) for row in rows)
        return
    table = Table(title="decks")
    for column in ("deck", "total", "new", "learning", "due today"):
        table.add_column(column, justify="left" if column == "deck" else "right")
    for row in rows:
        table.add_row(plain_cell(row.name), str(row.total), str(row.new), str(row.learning), str(row.due_today))
    if rows:
        table.add_section()
        table.add_row(
            "all",
            *(str(sum(getattr(row, name) for row in rows)) for name in ("total", "new", "learning", "due_today")),
        )
    shared.console.print(table)


@app.command()
def unsuspend(
    context: typer.Context,
    card_ids: Annotated[list[str], typer.Argument(help="Ids of suspended cards (see `ckaquiz cards --suspended`).")],
) -> None:
    """Let suspended cards back into study and review queues.

    \b
    Examples:
      ckaquiz unsuspend cka-static-pods:kubelet
    """
    from ckaquiz.store.marks import unsuspend_ids

    shared = shared_context(context)
    try:
        changed = unsuspend_ids(shared.collection.store, card_ids)
    except CkaquizError as error:
        raise fail(str(error)) from None
    shared.console.print(f"unsuspended {plural(changed, 'card')}")


@app.command()
def cards(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array (a stable format for scripts).")] = False,
    retired: Annotated[bool, typer.Option("--retired", help="Include retired cards.")] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only the suspended cards.")] = False,
) -> None:
    """List cards with their scheduling state.

    Piped, one tab-separated line per card: id, kind, prompt, state, due.

    \b
    Examples:
      ckaquiz cards --deck cka-static-pods
      ckaquiz cards --tag 2025-03 | cut -f1
      ckaquiz cards --json > cards.json
    """
    from ckaquiz.catalog import iter_matching_records, matching_cards, validate_filters, write_records_json

    shared = shared_context(context)
    try:
        _refresh(shared)
        filters = _filters(deck, tag)
        validate_filters(shared.collection, filters)
        if suspended:
            from ckaquiz.catalog import card_record
            from ckaquiz.store.marks import suspended_numbers

            held = set(suspended_numbers(shared.collection.store))
            found = [stored for stored in matching_cards(shared.collection, filters, include_retired=retired)
                     if stored.number in held]
            if as_json:
                write_records_json((card_record(stored) for stored in found), sys.stdout)
                return
        elif as_json:  # streamed: a listing of 100,000 cards never sits in memory whole
            write_records_json(iter_matching_records(shared.collection, filters, include_retired=retired), sys.stdout)
            return
        else:
            found = matching_cards(shared.collection, filters, include_retired=retired)
    except CkaquizError as error:
        raise fail(str(error)) from None
    from rich.table import Table

    from ckaquiz.ui.render import format_due
    from ckaquiz.ui.text import plain_cell

    if not sys.stdout.isatty():  # piped: whole ids, tab-separated, one card a line
        _tab_lines(
            (stored.card.id, stored.card.kind.value, stored.card.prompt, stored.schedule.state.value,
             format_due(stored.schedule.due))
            for stored in found
        )
        return
    table = Table(title=plural(len(found), "card"))
    for column in ("id", "kind", "prompt", "state", "due"):
        table.add_column(column, overflow="fold" if column == "id" else "ellipsis")
    for stored in found:
        table.add_row(
            plain_cell(stored.card.id),
            stored.card.kind.value,
            plain_cell(stored.card.prompt, 60),
            stored.schedule.state.value,
            format_due(stored.schedule.due),
        )
    shared.console.print(table)


@app.command()
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
    from ckaquiz.collection import builtin_decks_folder, source_decks, transient_source
    from ckaquiz.config import home_folder, load_settings
    from ckaquiz.decks.loader import load_decks

    shared = shared_context(context)
    targets = list(paths or [])
    sources = []
    try:
        if not targets:
            collection = shared.collection
            collection.ensure_builtin_source()
            sources = list(collection.store.sources())
            targets = [Path(source.path) for source in sources]
        missing = [path for path in targets if not path.exists()]
        if missing:
            raise fail(f"{missing[0]}: no such file or folder")
        # Each path is read with the settings `import` would use: its plugin settings, its source's options.
        skip = tuple(str(heading) for heading in load_settings(home_folder()).extra.get("skip_headings", []))
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
    except CkaquizError as error:
        raise fail(str(error)) from None
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


@app.command()
def score(
    context: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="CARD_ID", help="The card's id (see `ckaquiz cards`).")],
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", metavar="FILE", help="Read the answer from this file (default: stdin)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print coverage, suggested and points as JSON.")] = False,
) -> None:
    """Score an answer against a card without recording anything (recall, choice, command, manifest, cloze).

    \b
    Examples:
      echo "grep staticPodPath /etc/kubelet/custom.yaml" | ckaquiz score cka-static-pods:grep-static-pod-path
      ckaquiz score CARD_ID --file recall.md --json
    """
    from ckaquiz.assessment import assess_response

    shared = shared_context(context)
    try:
        collection = shared.collection
        _refresh(shared)
        stored = collection.store.card(card_id)
        if stored is None:
            raise fail(f"no card with id {card_id!r} (see `ckaquiz cards`)")
        if stored.card.kind.value == "task":
            raise fail(f"{card_id} is an exam task: its steps are answered and scored in `ckaquiz exam`")
        try:
            text = file.read_text(encoding="utf-8") if file is not None else sys.stdin.read()
        except (OSError, UnicodeDecodeError) as error:
            raise fail(f"{file}: cannot read ({error})") from None
        assessment = assess_response(stored.card, text, None, collection.settings)
    except CkaquizError as error:
        raise fail(str(error)) from None
    if assessment is None:
        raise fail(f"{stored.card.kind.value} cards are graded by the learner alone; nothing to score")
    if as_json:
        suggested = assessment.suggested.label if assessment.suggested is not None else None
        payload = assessment.result | {"coverage": round(assessment.score, 3), "suggested": suggested}
        typer.echo(escape_json_controls(json.dumps(payload, ensure_ascii=False, indent=1)))
        return
    for line in assessment.lines:
        say(line)


@app.command()
def history(
    context: typer.Context,
    card_id: Annotated[str, typer.Argument(metavar="CARD_ID", help="The card's id (see `ckaquiz cards`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the attempts as JSON.")] = False,
) -> None:
    """A card's attempts over time: date, coverage or score, grades, and points still missed.

    \b
    Examples:
      ckaquiz history cka-static-pods:grep-static-pod-path
      ckaquiz cards --deck cka-static-pods | cut -f1 | xargs -n1 ckaquiz history
    """
    from rich.table import Table

    from ckaquiz.model import Rating
    from ckaquiz.ui.render import format_due
    from ckaquiz.ui.text import one_line, plain_cell

    shared = shared_context(context)
    try:
        store = shared.collection.store
        stored = store.card(card_id)
        if stored is None:
            raise fail(f"no card with id {card_id!r} (see `ckaquiz cards`)")
        attempts = store.attempts(card_id)
    except CkaquizError as error:
        raise fail(str(error)) from None
    if as_json:
        typer.echo(escape_json_controls(json.dumps(attempts, ensure_ascii=False, indent=1)))
        return
    from datetime import datetime

    rows = []
    for attempt in attempts:
        points = attempt["result"].get("points", []) if isinstance(attempt["result"], dict) else []
        missed = [str(point.get("text", "")) for point in points if point.get("status") == "missed"]
        rows.append(
            (
                format_due(datetime.fromisoformat(attempt["created_at"])),
                "-" if attempt["score"] is None else f"{attempt['score']:.0%}",
                "-" if attempt["suggested"] is None else Rating(attempt["suggested"]).label,
                "-" if attempt["final"] is None else Rating(attempt["final"]).label,
                f"{attempt['duration_ms'] / 1000:.0f}",
                missed,
            )
        )
    if not sys.stdout.isatty():  # piped: one attempt a line, the points still missed joined by ` | `
        _tab_lines((*row[:5], " | ".join(row[5]) or "-") for row in rows)
        return
    table = Table(title=plain_cell(f"{one_line(stored.card.prompt, 60)}: {plural(len(attempts), 'attempt')}"))
    for column in ("date", "score", "suggested", "grade", "seconds", "still missed"):
        table.add_column(column)
    for *fields, missed in rows:
        table.add_row(*fields, plain_cell("\n".join(one_line(text, 50) for text in missed) or "-"))
    shared.console.print(table)


def _tab_lines(rows: Iterable[Iterable[object]]) -> None:
    """Rows as tab-separated lines for scripts: each field on one line, filtered like all output."""
    for row in rows:
        typer.echo("\t".join(neutralise(str(field), single_line=True).replace("\t", " ") for field in row))


@sources_app.callback()
def sources_list(context: typer.Context) -> None:
    """List registered deck sources: name, kind (built-in or user) and path, tab-separated.

    \b
    Examples:
      ckaquiz sources
      ckaquiz sources remove old-notes
    """
    if context.invoked_subcommand is not None:
        return
    shared = shared_context(context)
    try:
        registered = shared.collection.store.sources()
    except CkaquizError as error:
        raise fail(str(error)) from None
    for source in registered:
        kind = "built-in" if source.builtin else "user"
        typer.echo("\t".join(neutralise(field, single_line=True) for field in (source.name, kind, source.path)))


@sources_app.command("remove")
def sources_remove(
    context: typer.Context, name: Annotated[str, typer.Argument(metavar="NAME", help="The source's name.")]
) -> None:
    """Unregister a source: its cards are retired, their review history kept.

    \b
    Example:
      ckaquiz sources remove old-notes
    """
    shared = shared_context(context)
    try:
        store = shared.collection.store
        if store.source(name) is None:
            raise fail(f"no source named {name!r} (see `ckaquiz sources`)")
        retired = store.deactivate_source(name, now=shared.collection.now())
    except CkaquizError as error:
        raise fail(str(error)) from None
    say(f"removed {name}: {plural(retired, 'card')} retired (history kept)")


from ckaquiz.cli_exam import register as register_exam  # noqa: E402
from ckaquiz.cli_progress import register as register_progress  # noqa: E402
from ckaquiz.cli_safety import register as register_safety  # noqa: E402

register_progress(app)
register_exam(app)
register_safety(app)


def _tolerant_stdin() -> None:
    """Bytes on standard input that are not UTF-8 become U+FFFD instead of ending the command."""
    import io

    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")


def main() -> int:
    """Run the command line; the exit status (`python -m ckaquiz` passes it to `sys.exit`).

    typer's usage errors repeat what was typed (`No such option: ...`), so they are written
    through the output filter too.
    """
    import sqlite3

    _tolerant_stdin()
    # click's ClickException, the base of every usage error, whichever click typer brings
    bases = typer.BadParameter.__mro__
    usage_error: type[Exception] = next(base for base in bases if base.__name__ == "ClickException")
    try:
        status = app(standalone_mode=False)
        return status if isinstance(status, int) else 0
    except typer.Abort:  # end of input at a confirmation prompt
        sys.stderr.write("Aborted!\n")
        return 1
    except CkaquizError as error:  # a command that let one through still ends in one line
        sys.stderr.write(f"error: {neutralise(str(error), single_line=True)}\n")
        return 1
    except usage_error as error:
        from io import StringIO

        shown = StringIO()
        error.show(file=shown)  # type: ignore[attr-defined]
        sys.stderr.write(neutralise(shown.getvalue()))
        return int(error.exit_code)  # type: ignore[attr-defined]
    except sqlite3.DatabaseError as error:
        # Damage found in the middle of a command (inside a page) still gets one line and the way out.
        from ckaquiz.backup import restore_hint
        from ckaquiz.config import DATABASE_NAME, home_folder
        from ckaquiz.store.database import is_damage

        database = home_folder() / DATABASE_NAME
        if not is_damage(error):
            sys.stderr.write(f"error: {neutralise(f'{database}: {error}', single_line=True)}\n")
            raise SystemExit(1) from None
        message = f"{database} is damaged ({error}); {restore_hint(database)}"
        sys.stderr.write(f"error: {neutralise(message, single_line=True)}\n")
        raise SystemExit(1) from None
