"""Typed cloze answers: the words typed for the hidden part, compared with the deleted text.

Markup the deck uses for display (`` ` ``, `**`, `==`), Unicode forms and runs of spaces do not
count. A difference of letter case (in a word without inner capitals: `pod` for `Pod`, not
`noschedule` for `NoSchedule`, which the API would refuse) or of spacing only (`세개` for `세 개`)
is cosmetic. A deletion that ends in a parenthesised gloss, `empty podSelector (`{}`)`,
also accepts the text before the gloss and the gloss alone.
"""

from __future__ import annotations

import re

from ckaquiz.grading.policy import suggest
from ckaquiz.grading.results import ClozeGradeResult
from ckaquiz.text import compatibility_form

_MARKUP = re.compile(r"`+|\*\*|==|__")
_SPACES = re.compile(r"\s+")
_GLOSS = re.compile(r"^(?P<head>.+?)\s*[(（](?P<gloss>[^()（）]+)[)）]$")
_INNER_CAPITAL = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2,}[a-z]")
_TRAILING = ".,;:!?。、"


def _clean(text: str) -> str:
    text = compatibility_form(text)
    text = _MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip().rstrip(_TRAILING).strip()


def accepted_forms(answer: str) -> tuple[str, ...]:
    """The deleted text, and for a deletion ending in a parenthesised gloss its head and the gloss."""
    cleaned = _clean(answer)
    forms = [cleaned]
    match = _GLOSS.match(cleaned)
    if match is not None:
        forms.extend([_clean(match.group("head")), _clean(match.group("gloss"))])
    return tuple(dict.fromkeys(form for form in forms if form))


def _cosmetic_match(typed: str, form: str) -> bool:
    if typed.replace(" ", "") == form.replace(" ", ""):
        return True
    caseless = typed.casefold().replace(" ", "") == form.casefold().replace(" ", "")
    return caseless and _INNER_CAPITAL.search(form) is None


def grade_cloze(
    typed: str, answer: str, *, seconds_taken: float | None = None, easy_seconds: float | None = None
) -> ClozeGradeResult:
    """Grade the words typed for a cloze deletion: right, right but for case or spacing, or wrong."""
    cleaned = _clean(typed)
    forms = accepted_forms(answer)
    shown = forms[0] if forms else answer.strip()
    if not cleaned:
        return ClozeGradeResult(False, suggest(correct=False), ("nothing typed",), 0.0)
    if cleaned in forms:
        rating = suggest(correct=True, seconds_taken=seconds_taken, easy_seconds=easy_seconds)
        return ClozeGradeResult(True, rating, (), 1.0, matched_answer=cleaned)
    for form in forms:
        if _cosmetic_match(cleaned, form):
            difference = f"expected {form}, got {cleaned} (only case or spacing differs)"
            rating = suggest(correct=True, cosmetic=True)
            return ClozeGradeResult(False, rating, (difference,), 1.0, matched_answer=form)
    return ClozeGradeResult(False, suggest(correct=False), (f"expected {shown}, got {cleaned}",), 0.0)
