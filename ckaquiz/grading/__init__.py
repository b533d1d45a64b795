"""Grading typed answers: pure functions from an answer to a verdict.

`choice` compares chosen options, `cloze` the words typed for a deletion, `commands` reads
shell commands as the shell and the program would (with the tables of `programs`), and
`manifests` compares Kubernetes manifests by structure. `policy` turns every verdict into a
suggested grade by one rule. Callers import from here.
"""

from ckaquiz.config import DEFAULT_EASY_SECONDS
from ckaquiz.grading.choice import grade_choice
from ckaquiz.grading.cloze import grade_cloze
from ckaquiz.grading.commands import grade_command, parse_duration
from ckaquiz.grading.manifests import grade_manifest
from ckaquiz.grading.policy import easy_time, suggest
from ckaquiz.grading.results import (
    ChoiceGradeResult,
    ClozeGradeResult,
    CommandGradeResult,
    GradeResult,
    ManifestGradeResult,
    ManifestSyntaxError,
)
from ckaquiz.model import Rating

__all__ = [
    "DEFAULT_EASY_SECONDS",
    "ChoiceGradeResult",
    "ClozeGradeResult",
    "CommandGradeResult",
    "GradeResult",
    "ManifestGradeResult",
    "ManifestSyntaxError",
    "Rating",
    "easy_time",
    "grade_choice",
    "grade_cloze",
    "grade_command",
    "grade_manifest",
    "parse_duration",
    "suggest",
]
