"""Grading typed answers: pure functions from an answer to a verdict.

`choice` compares chosen options, `commands` reads shell commands as the shell and the
program would (with the tables of `programs`), and `manifests` compares Kubernetes manifests
by structure. Callers import from here.
"""

from ckaquiz.grading.choice import grade_choice
from ckaquiz.grading.commands import grade_command, parse_duration
from ckaquiz.grading.manifests import grade_manifest
from ckaquiz.grading.results import (
    ChoiceGradeResult,
    CommandGradeResult,
    GradeResult,
    ManifestGradeResult,
    ManifestSyntaxError,
)
from ckaquiz.model import Rating

__all__ = [
    "ChoiceGradeResult",
    "CommandGradeResult",
    "GradeResult",
    "ManifestGradeResult",
    "ManifestSyntaxError",
    "Rating",
    "grade_choice",
    "grade_command",
    "grade_manifest",
    "parse_duration",
]
