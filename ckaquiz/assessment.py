"""Judging a typed response by card kind: recall coverage, choice, command and manifest grading.

The session engine calls this through its `assessor` hook; the front ends show the lines
and pre-select the suggested grade, which the learner may override.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckaquiz.config import Settings
from ckaquiz.model import Card, CardKind, ChoiceDetails, CommandDetails, ManifestDetails, Rating, RecallDetails


@dataclass(frozen=True)
class Assessment:
    """How a typed response was judged: a score, a suggested grade, and what to show."""

    score: float
    suggested: Rating | None
    result: dict[str, Any]
    lines: tuple[str, ...] = ()


STATUS_MARKS = {"recalled": "[x]", "partial": "[~]", "missed": "[ ]"}

ANSWER_LIMITS = {
    CardKind.RECALL: 100_000,
    CardKind.MANIFEST: 100_000,
    CardKind.COMMAND: 4_000,
    CardKind.CHOICE: 4_000,
    CardKind.CLOZE: 4_000,
}
"""The longest answer judged per kind, in characters: a longer one is refused, so judging stays fast."""

_OPTION_DIGITS = 6
"""An option number has at most this many ASCII digits (no card has a million options)."""


def assess_response(
    card: Card, response: str, seconds_taken: float | None, settings: Settings
) -> Assessment | None:
    """An assessment of `response`, or None for kinds judged by the learner alone.

    A cloze card is judged when something was typed (the answer is optional there). The time
    taken may be unknown (`ckaquiz score`): a right answer is then good, never easy.

    A card whose expected answer cannot be judged (a deck mistake) never ends the session: the
    learner is told why in one line and grades the card without a suggestion.
    """
    limit = ANSWER_LIMITS.get(card.kind)
    if limit is None or (card.kind is CardKind.CLOZE and not response.strip()):
        return None
    if len(response) > limit:
        kind = card.kind.value
        return refused(f"the answer has {len(response):,} characters; at most {limit:,} are judged for a {kind} card")
    try:
        if card.kind is CardKind.RECALL:
            return assess_recall(card, response, settings)
        return assess_quiz(card, response, seconds_taken, easy_seconds=settings.easy_seconds)
    except Exception as error:  # the card's own expected answer is broken: say so, keep the session
        source = f"{card.source.path}:{card.source.line}" if card.source.path else card.id
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        message = f"cannot judge this card ({source}): {first_line}"
        return Assessment(
            score=0.0,
            suggested=None,
            result={"unjudged": message},
            lines=(message, "grade it yourself; `ckaquiz check` shows the problem"),
        )


def refused(message: str) -> Assessment:
    """An answer that is wrong before it is compared: the reason as its one line, and Again."""
    return Assessment(score=0.0, suggested=Rating.AGAIN, result={"error": message}, lines=(message, "suggested: again"))


def at_a_later_try(assessment: Assessment, tries: int) -> Assessment:
    """The assessment of an answer given at try `tries` of one showing: right passes as hard at most."""
    if tries <= 1 or assessment.suggested not in (Rating.GOOD, Rating.EASY):
        return assessment
    lines = [line for line in assessment.lines if not line.startswith("suggested: ")]
    lines += [f"right at try {tries}: a second try passes as hard at most", f"suggested: {Rating.HARD.label}"]
    result = assessment.result | {"suggested": Rating.HARD.label, "tries": tries}
    return Assessment(score=assessment.score, suggested=Rating.HARD, result=result, lines=tuple(lines))


def option_number(text: str) -> int | None:
    """`2` as the number 2; anything else (`²`, `①`, thousands of digits, `-1`) is not an option number."""
    if text.isascii() and text.isdigit() and len(text) <= _OPTION_DIGITS:
        return int(text)
    return None


def assess_recall(card: Card, response: str, settings: Settings) -> Assessment:
    """Key-point coverage of a blank-page recall, lowered to again (hard for a minor one) by a misconception."""
    from ckaquiz.coverage import GradeCutoffs, score_recall
    from ckaquiz.misconceptions import recall_misconceptions

    again, hard, good = settings.recall_cutoffs
    scored = score_recall(card.key_points, response, cutoffs=GradeCutoffs(again, hard, good))
    hits = recall_misconceptions(card.tags, _pitfalls(card), response)
    suggested = scored.suggested
    for hit in hits:
        ceiling = Rating.AGAIN if hit.misconception.severity == "major" else Rating.HARD
        suggested = min(suggested, ceiling)
    lines = [f"{STATUS_MARKS.get(point.status, '[ ]')} {point.text}" for point in scored.points]
    if scored.unmatched:
        lines.append("not in your notes:")
        lines.extend(f"  ? {sentence}" for sentence in scored.unmatched)
    lines.extend(
        f"[!] misconception: {hit.sentence} → {hit.correction} ({hit.misconception.reference})" for hit in hits
    )
    lines.append(f"coverage: {scored.coverage:.2f} suggested: {suggested.label}")
    result = scored.to_dict() | {"suggested": suggested.label, "misconceptions": [hit.to_dict() for hit in hits]}
    return Assessment(score=scored.coverage, suggested=suggested, result=result, lines=tuple(lines))


def assess_quiz(
    card: Card,
    response: str,
    seconds_taken: float | None,
    *,
    easy_seconds: dict[str, float] | None = None,
) -> Assessment:
    """Grade a choice, command, manifest or typed cloze answer against the card, by the grade policy."""
    from ckaquiz import grading

    details = card.details
    card_limit = float(details.time_seconds) if isinstance(details, CommandDetails) and details.time_seconds else None
    easy = grading.easy_time(card.kind.value, easy_seconds or grading.DEFAULT_EASY_SECONDS, card_limit)
    result: grading.GradeResult
    if card.kind is CardKind.CLOZE:
        result = grading.grade_cloze(response, card.answer, seconds_taken=seconds_taken, easy_seconds=easy)
    elif card.kind is CardKind.CHOICE:
        choice = details if isinstance(details, ChoiceDetails) else ChoiceDetails()
        options = list(choice.options)
        chosen = (
            [_option(options, part) for part in response.replace(",", " ").split()]
            if _numeric(response)
            else [line.strip() for line in response.splitlines() if line.strip()]
        )
        result = grading.grade_choice(
            [item for item in chosen if item],
            list(choice.answers),
            seconds_taken=seconds_taken,
            easy_seconds=easy,
        )
    elif card.kind is CardKind.COMMAND:
        result = grading.grade_command(
            response,
            card.answer,
            list(details.alternatives) if isinstance(details, CommandDetails) else [],
            seconds_taken=seconds_taken,
            easy_seconds=easy,
        )
    else:
        try:
            result = grading.grade_manifest(
                response,
                card.answer,
                strict=isinstance(details, ManifestDetails) and details.strict,
                seconds_taken=seconds_taken,
                easy_seconds=easy,
            )
        except grading.ManifestSyntaxError as error:
            return refused(f"YAML error at line {error.line}, column {error.column}: {error.message}")
    lines = ["correct" if result.correct else "not quite:"]
    lines.extend(f"  {difference}" for difference in result.differences)
    lines.append(f"suggested: {result.suggested.label}")
    return Assessment(score=result.score, suggested=result.suggested, result=result.to_dict(), lines=tuple(lines))


def _pitfalls(card: Card) -> list[Any] | None:
    details = card.details
    return list(details.pitfalls) if isinstance(details, RecallDetails) and details.pitfalls is not None else None


def _numeric(response: str) -> bool:
    parts = response.replace(",", " ").split()
    return bool(parts) and all(option_number(part) is not None for part in parts)


def _option(options: list[str], number: str) -> str:
    """Option by its number in the deck's own order (`ckaquiz score` has no shuffled showing)."""
    index = (option_number(number) or 0) - 1
    return options[index] if 0 <= index < len(options) else ""
