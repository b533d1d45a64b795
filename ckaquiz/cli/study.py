"""`study` and `review`: a session on the terminal, or in the plain line protocol for scripts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ckaquiz.cli.context import DeckOption, PlainOption, TagOption, chosen_filters, refreshed, shared_context
from ckaquiz.cli.failures import handled

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
WithTasksOption = Annotated[
    bool,
    typer.Option("--with-tasks", help="Also show exam tasks (`task` cards), which `ckaquiz exam` uses otherwise."),
]


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
    from ckaquiz.session import Mode, Session

    shared = shared_context(context)
    collection = refreshed(shared)
    filters = chosen_filters(collection, deck, tag, since, until)
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

        use_editor = use_editor or collection.settings.editor
        TerminalFrontEnd(session, shared.console, use_editor=use_editor).run()
    else:
        from ckaquiz.ui.plain import PlainFrontEnd

        PlainFrontEnd(session, sys.stdin, sys.stdout).run()


@handled
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


@handled
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


def register(app: typer.Typer) -> None:
    """Add `study` and `review` to the app."""
    app.command()(study)
    app.command()(review)
