"""`export anki|csv|json`: cards with their scheduling state (and review log) for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ckaquiz.cli.context import DeckOption, TagOption, chosen_filters, refreshed, say, shared_context
from ckaquiz.cli.failures import handled
from ckaquiz.ui.plurals import plural

if TYPE_CHECKING:
    from ckaquiz.collection import Collection
    from ckaquiz.filters import Filters
    from ckaquiz.model import Review
    from ckaquiz.store import StoredCard

ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")]
ReviewsOption = Annotated[bool, typer.Option("--reviews", help="Also export the review log of these cards.")]
FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="The file to write.", dir_okay=False)]


def _export_cards(
    context: typer.Context, deck: list[str], tag: list[str]
) -> tuple[Collection, Filters, list[StoredCard]]:
    from ckaquiz.catalog import matching_cards

    collection = refreshed(shared_context(context))
    filters = chosen_filters(collection, deck, tag)
    return collection, filters, matching_cards(collection, filters)


@handled
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
    logged = f" with {plural(summary.reviews, 'review')}" if with_history else ""
    say(
        f"exported {plural(summary.cards, 'card')} as {plural(summary.notes, 'note')}"
        f" in {plural(summary.decks, 'deck')}{logged} to {summary.path}"
    )


@handled
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

    collection, filters, cards = _export_cards(context, deck, tag)
    log = _review_log(collection, filters) if reviews else None
    summary = write_csv(cards, file, reviews=log, force=force)
    say(f"exported {plural(summary.cards, 'card')} to {summary.path}")
    if summary.reviews_path is not None:
        say(f"exported {plural(summary.reviews, 'review')} to {summary.reviews_path}")


@handled
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

    collection, filters, cards = _export_cards(context, deck, tag)
    log = _review_log(collection, filters) if reviews else None
    summary = write_json(cards, file, now=collection.now(), filters=filters.to_dict(), reviews=log, force=force)
    extra = f" and {plural(summary.reviews, 'review')}" if reviews else ""
    say(f"exported {plural(summary.cards, 'card')}{extra} to {summary.path}")


def _review_log(collection: Collection, filters: Filters) -> list[Review]:
    from ckaquiz.catalog import matching_cards

    known = {stored.card.id for stored in matching_cards(collection, filters, include_retired=True)}
    return [review for review in collection.store.reviews() if review.card_id in known]


def register(app: typer.Typer) -> None:
    """Add the `export` group (anki, csv, json) to the app."""
    export = typer.Typer(
        help="Export cards to Anki, CSV or JSON. Example: `ckaquiz export anki cka.apkg --with-history`.",
        no_args_is_help=True,
    )
    export.command("anki")(export_anki)
    export.command("csv")(export_csv)
    export.command("json")(export_json)
    app.add_typer(export, name="export")
