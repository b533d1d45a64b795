"""What a grader returns: right or not, a suggested grade, and what differed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckaquiz.model import Rating


@dataclass(frozen=True)
class GradeResult:
    """The verdict on one answer: right or not, a suggested rating and what differed."""

    correct: bool
    suggested: Rating
    differences: tuple[str, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the verdict."""
        return {
            "correct": self.correct,
            "suggested": self.suggested.name.lower(),
            "differences": list(self.differences),
            "score": self.score,
            **self._details(),
        }

    def _details(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class ChoiceGradeResult(GradeResult):
    """The verdict on a choice answer, with the options missed and those wrongly chosen."""

    missing: tuple[str, ...] = ()
    wrongly_chosen: tuple[str, ...] = ()

    def _details(self) -> dict[str, Any]:
        return {"kind": "choice", "missing": list(self.missing), "wrongly_chosen": list(self.wrongly_chosen)}


@dataclass(frozen=True)
class ClozeGradeResult(GradeResult):
    """The verdict on a typed cloze answer, naming the accepted form it matched (if any)."""

    matched_answer: str = ""

    def _details(self) -> dict[str, Any]:
        return {"kind": "cloze", "matched_answer": self.matched_answer}


@dataclass(frozen=True)
class CommandGradeResult(GradeResult):
    """The verdict on a typed command, naming the accepted command it came closest to."""

    matched_answer: str = ""

    def _details(self) -> dict[str, Any]:
        return {"kind": "command", "matched_answer": self.matched_answer}


@dataclass(frozen=True)
class ManifestGradeResult(GradeResult):
    """The verdict on a typed manifest, with leaf-field counts and the fields strict mode refused."""

    matched_fields: int = 0
    total_fields: int = 0
    unexpected_fields: tuple[str, ...] = ()

    def _details(self) -> dict[str, Any]:
        return {
            "kind": "manifest",
            "matched_fields": self.matched_fields,
            "total_fields": self.total_fields,
            "unexpected_fields": list(self.unexpected_fields),
        }


class ManifestSyntaxError(ValueError):
    """Typed YAML that cannot be read (or is refused before reading), with its 1-based position."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.line = line
        self.column = column
        self.message = message
