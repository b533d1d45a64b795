"""Judging a typed response by card kind: recall coverage, choice, command and manifest grading.

The session engine calls this through its `assessor` hook; the front ends show the lines
and pre-select the suggested grade, which the learner may override.
"""

from __future__ import annotations

from ckaquiz.config import Settings
from ckaquiz.model import Card, CardKind, Rating
from ckaquiz.session import Assessment

STATUS_MARKS = {"recalled": "[x]", "partial": "[~]", "missed": "[ ]"}


def assess_response(card: Card, response: str, seconds_taken: float, settings: Settings) -> Assessment | None:
    """An assessment of `response`, or None for kinds judged by the learner alone."""
    if card.kind is CardKind.RECALL:
        return assess_recall(card, response, settings)
    if card.kind in (CardKind.CHOICE, CardKind.COMMAND, CardKind.MANIFEST):
        return assess_quiz(card, response, seconds_taken)
    return None


def assess_recall(card: Card, response: str, settings: Settings) -> Assessment:
    """Key-point coverage of a blank-page recall, lowered to again (hard for a minor one) by a misconception."""
    from ckaquiz.coverage import GradeCutoffs, score_recall
    from ckaquiz.misconceptions import recall_misconceptions

    again, hard, good = settings.recall_cutoffs
    scored = score_recall(card.key_points, response, cutoffs=GradeCutoffs(again, hard, good))
    hits = recall_misconceptions(card.tags, card.fields.get("pitfalls"), response)
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


def assess_quiz(card: Card, response: str, seconds_taken: float) -> Assessment:
    """Grade a choice, command or manifest answer against the card."""
    from ckaquiz import grading

    result: grading.GradeResult
    if card.kind is CardKind.CHOICE:
        options: list[str] = list(card.fields.get("options", []))
        chosen = (
            [_option(options, part) for part in response.replace(",", " ").split()]
            if _numeric(response)
            else [line.strip() for line in response.splitlines() if line.strip()]
        )
        result = grading.grade_choice([item for item in chosen if item], list(card.fields.get("answers", [])))
    elif card.kind is CardKind.COMMAND:
        limit = card.fields.get("time_seconds")
        result = grading.grade_command(
            response,
            card.answer,
            list(card.fields.get("alternatives", [])),
            seconds_taken=seconds_taken,
            time_limit_seconds=float(limit) if limit else None,
        )
    else:
        try:
            result = grading.grade_manifest(response, card.answer, strict=bool(card.fields.get("strict", False)))
        except grading.ManifestSyntaxError as error:
            message = f"YAML error at line {error.line}, column {error.column}: {error.message}"
            return Assessment(
                score=0.0,
                suggested=grading.Rating.AGAIN,
                result={"error": message},
                lines=(message, "suggested: again"),
            )
    lines = ["correct" if result.correct else "not quite:"]
    lines.extend(f"  {difference}" for difference in result.differences)
    lines.append(f"suggested: {result.suggested.label}")
    return Assessment(score=result.score, suggested=result.suggested, result=result.to_dict(), lines=tuple(lines))


def _numeric(response: str) -> bool:
    parts = response.replace(",", " ").split()
    return bool(parts) and all(part.isdigit() for part in parts)


def _option(options: list[str], number: str) -> str:
    """Option by its number in the deck's own order (`ckaquiz score` has no shuffled showing)."""
    index = int(number) - 1
    return options[index] if 0 <= index < len(options) else ""
