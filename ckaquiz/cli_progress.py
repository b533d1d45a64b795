"""Progress commands: `stats`, `optimize` and `export anki|csv|json`.

`register(app)` adds them to the main typer app. Like `ckaquiz.cli`, each command is options
-> one library call -> rendering, with heavy modules imported inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.cli_context import Context, DeckOption, TagOption, fail, say, shared_context, warn
from ckaquiz.errors import CkaquizError
from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ckaquiz.collection import Collection
    from ckaquiz.filters import Filters
    from ckaquiz.model import Review
    from ckaquiz.optimize import Optimization, RetentionAdvice
    from ckaquiz.store import StoredCard

ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")]
ReviewsOption = Annotated[bool, typer.Option("--reviews", help="Also export the review log of these cards.")]


def _refreshed_collection(shared: Context) -> Collection:
    collection = shared.collection
    warn(collection.refresh().problems)
    return collection


def _filters(collection: Collection, deck: list[str], tag: list[str]) -> Filters:
    from ckaquiz.catalog import validate_filters
    from ckaquiz.filters import Filters

    filters = Filters(decks=tuple(deck), tags=tuple(tag))
    validate_filters(collection, filters)
    return filters


def stats(
    context: typer.Context,
    deck: DeckOption = [],
    tag: TagOption = [],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (see docs/stats.md).")] = False,
) -> None:
    """Progress: today, a year of reviews, the due forecast, true retention, weak spots, leeches, CKA readiness.

    \b
    Examples:
      ckaquiz stats
      ckaquiz stats --deck cka-ko
      ckaquiz stats --json | jq .retention
    """
    from ckaquiz.stats import collect_stats

    shared = shared_context(context)
    topics: int | None = None  # --json lists every recall topic and attempt
    attempts: int | None = None
    if not as_json:  # the screen shows a few topics and their last attempts: only those are read in full
        from ckaquiz.ui.stats_view import SPARK_ATTEMPTS, TOPICS_SHOWN

        topics, attempts = TOPICS_SHOWN, SPARK_ATTEMPTS
    try:
        collection = _refreshed_collection(shared)
        filters = _filters(collection, deck, tag)
        found = collect_stats(collection, filters, shown_topics=topics, shown_attempts=attempts)
    except CkaquizError as error:
        raise fail(str(error)) from None
    if as_json:
        found.write_json(sys.stdout)
        return
    from ckaquiz.ui.stats_view import stats_view

    shared.console.print(stats_view(found))


def optimize(
    context: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Save the new parameters without asking.")] = False,
    retention: Annotated[
        bool,
        typer.Option(
            "--retention",
            help="Recommend a desired retention instead: simulate a year of your study at several retentions.",
        ),
    ] = False,
) -> None:
    """Fit FSRS parameters to your own review log and save them, or recommend a desired retention.

    Examples: `ckaquiz optimize` (shows old and new parameters, asks before saving),
    `ckaquiz optimize --yes`, `ckaquiz optimize --retention`.
    """
    from ckaquiz.optimize import optimize as fit_collection
    from ckaquiz.optimize import retention_advice, save_parameters

    shared = shared_context(context)
    try:
        collection = shared.collection
        if retention:
            shared.console.print(_retention_view(retention_advice(_refreshed_collection(shared))))
            return
        result = fit_collection(collection)
    except CkaquizError as error:
        raise fail(str(error)) from None
    shared.console.print(_optimization_view(result))
    if not yes:
        try:
            confirmed = typer.confirm("Save the new parameters to config.toml?", default=False)
        except typer.Abort:
            confirmed = False
        if not confirmed:
            typer.echo("not saved (pass --yes to save without asking)")
            return
    try:
        path = save_parameters(collection.home, result.new)
    except CkaquizError as error:
        raise fail(str(error)) from None
    say(f"saved to {path}")


def _retention_view(advice: RetentionAdvice) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("desired retention", justify="right")
    table.add_column("reviews a day", justify="right")
    table.add_column("minutes a day", justify="right")
    table.add_column(f"remembered after {advice.days} days", justify="right")
    for workload in advice.workloads:
        marks = []
        if workload.retention == advice.recommended:
            marks.append("recommended")
        if abs(workload.retention - advice.current) < 0.005:
            marks.append("yours")
        label = f"{workload.retention:.2f}" + (f" ({', '.join(marks)})" if marks else "")
        table.add_row(
            label, f"{workload.reviews_per_day:.1f}", f"{workload.minutes_per_day:.1f}", f"{workload.memorized:.0f}"
        )
    parameters = "your fitted parameters" if advice.personal_parameters else "the FSRS default parameters"
    header = Text(
        f"a simulated year of study of {advice.cards} cards with your daily limits, your grading habits"
        f" and {parameters}"
    )
    footer = Text(
        f"recommended minimum: desired_retention = {advice.recommended:.2f}, the least study time per card"
        f" remembered; a higher one costs more time for more cards remembered (yours is {advice.current:.2f},"
        " set in config.toml)"
    )
    return Group(header, table, footer)


def _optimization_view(result: Optimization) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    source = "your saved parameters" if result.personal_before else "FSRS defaults"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("w", justify="right")
    table.add_column("old", justify="right")
    table.add_column("new", justify="right")
    table.add_column("change", justify="right")
    for index, (old, new) in enumerate(zip(result.old, result.new, strict=False)):
        table.add_row(str(index), f"{old:.4f}", f"{new:.4f}", f"{new - old:+.4f}")
    fit = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    fit.add_column("")
    fit.add_column("log loss", justify="right")
    fit.add_column("RMSE", justify="right")
    fit.add_row(f"old ({source})", f"{result.old_fit.log_loss:.4f}", f"{result.old_fit.rmse:.4f}")
    fit.add_row("new", f"{result.new_fit.log_loss:.4f}", f"{result.new_fit.rmse:.4f}")
    verdict = (
        "the new parameters predict your answers better (lower is better)"
        if result.improved
        else "the new parameters do not predict your answers better; keeping the old ones is fine"
    )
    header = Text(
        f"fitted to {plural(result.answers, 'answer')} on {plural(result.cards, 'card')}\n"
        f"{result.counted} of them train the optimizer (a day or more after the card's previous answer)"
    )
    return Group(header, table, fit, Text(verdict))


export_app = typer.Typer(
    help="Export cards to Anki, CSV or JSON. Example: `ckaquiz export anki cka.apkg --with-history`.",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="The file to write.", dir_okay=False)]


def _export_cards(
    context: typer.Context, deck: list[str], tag: list[str]
) -> tuple[Collection, Filters, list[StoredCard]]:
    from ckaquiz.catalog import matching_cards

    collection = _refreshed_collection(shared_context(context))
    filters = _filters(collection, deck, tag)
    return collection, filters, matching_cards(collection, filters)


@export_app.command("anki")
def export_anki(
    context: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The Anki package to write (FILE.apkg).", dir_okay=False)
    ],
    deck: DeckOption = [],
    tag: TagOption = [],
    force: ForceOption = False,
    with_history: Annotated[
        bool,
        typer.Option(
            "--with-history",
            help="Keep each card's schedule and write its answers as Anki's review log, so Anki keeps the due dates.",
        ),
    ] = False,
) -> None:
    """An Anki package: basic, reversed and cloze notes, recall topics and quizzes as basic notes.

    Card text is rendered from Markdown to HTML (code highlighted, tables, images).
    Examples: `ckaquiz export anki cka.apkg --deck cka-storage`, `ckaquiz export anki all.apkg --with-history`
    (import it in Anki with "Import any learning progress" ticked).
    """
    from ckaquiz.export import AnkiHistory
    from ckaquiz.export import export_anki as write_package

    try:
        collection, filters, cards = _export_cards(context, deck, tag)
        history = None
        if with_history:
            settings = collection.settings
            history = AnkiHistory(
                reviews=_review_log(collection, filters),
                day_start=collection.study_day_start(),
                learning_steps=len(settings.learning_steps),
                relearning_steps=len(settings.relearning_steps),
                desired_retention=settings.desired_retention,
            )
        summary = write_package(cards, file, now=collection.now(), force=force, history=history)
    except CkaquizError as error:
        raise fail(str(error)) from None
    logged = f" with {plural(summary.reviews, 'review')}" if with_history else ""
    say(
        f"exported {plural(summary.cards, 'card')} as {plural(summary.notes, 'note')}"
        f" in {plural(summary.decks, 'deck')}{logged} to {summary.path}"
    )


@export_app.command("csv")
def export_csv(
    context: typer.Context,
    file: FileArgument,
    deck: DeckOption = [],
    tag: TagOption = [],
    reviews: ReviewsOption = False,
    force: ForceOption = False,
) -> None:
    """Cards with their scheduling state as CSV; --reviews writes the log to FILE's name + .reviews.csv.

    \b
    Examples:
      ckaquiz export csv cards.csv
      ckaquiz export csv cards.csv --reviews --deck cka-ko
    """
    from ckaquiz.export import export_csv as write_csv

    try:
        collection, filters, cards = _export_cards(context, deck, tag)
        log = _review_log(collection, filters) if reviews else None
        summary = write_csv(cards, file, reviews=log, force=force)
    except CkaquizError as error:
        raise fail(str(error)) from None
    say(f"exported {plural(summary.cards, 'card')} to {summary.path}")
    if summary.reviews_path is not None:
        say(f"exported {plural(summary.reviews, 'review')} to {summary.reviews_path}")


@export_app.command("json")
def export_json(
    context: typer.Context,
    file: FileArgument,
    deck: DeckOption = [],
    tag: TagOption = [],
    reviews: ReviewsOption = False,
    force: ForceOption = False,
) -> None:
    """Cards with their scheduling state (and with --reviews the review log) as one JSON document.

    \b
    Examples:
      ckaquiz export json backup.json --reviews
      ckaquiz export json storage.json --tag cka/storage
    """
    from ckaquiz.export import export_json as write_json

    try:
        collection, filters, cards = _export_cards(context, deck, tag)
        log = _review_log(collection, filters) if reviews else None
        summary = write_json(cards, file, now=collection.now(), filters=filters.to_dict(), reviews=log, force=force)
    except CkaquizError as error:
        raise fail(str(error)) from None
    extra = f" and {plural(summary.reviews, 'review')}" if reviews else ""
    say(f"exported {plural(summary.cards, 'card')}{extra} to {summary.path}")


def _review_log(collection: Collection, filters: Filters) -> list[Review]:
    from ckaquiz.catalog import matching_cards

    known = {stored.card.id for stored in matching_cards(collection, filters, include_retired=True)}
    return [review for review in collection.store.reviews() if review.card_id in known]


def register(app: typer.Typer) -> None:
    """Add `stats`, `optimize` and the `export` group to the ckaquiz app."""
    app.command()(stats)
    app.command()(optimize)
    app.add_typer(export_app, name="export")
