"""The `task` card kind: a mock-exam task of one or more command or manifest steps.

A task entry reads like a task of the real exam: a scenario, an optional context (namespace,
node, cluster), its weight in percent of the exam, one CKA domain tag and the steps. Each
step is answered and graded as a command or a manifest card would be, so a step takes those
kinds' fields (`answer`, `alternatives`, `strict`) plus `points`, its share of the task.

    - kind: task
      id: expose-web
      weight: 7
      topic: services
      context: "namespace: web"
      scenario: Expose the deployment `web` on port 80 inside the cluster.
      tags: [cka/services-networking]
      steps:
        - kind: command
          question: Create the Service.
          answer: kubectl expose deployment web --port 80 -n web
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckaquiz.decks.entry_fields import MAX_ANSWER_CHARS, Entry, manifest_problem, text_of
from ckaquiz.model import Card, TaskDetails

MAX_STEPS = 20
MAX_POINTS = 100
STEP_KINDS = ("command", "manifest")
STEP_FIELDS: dict[str, frozenset[str]] = {
    "command": frozenset({"kind", "question", "answer", "alternatives", "points"}),
    "manifest": frozenset({"kind", "question", "answer", "strict", "points"}),
}
DOMAIN_PREFIX = "cka/"


def step_line_key(index: int, key: str = "") -> str:
    """The key under which the line of step `index` (or of one of its fields) is recorded."""
    return f"steps.{index}" + (f".{key}" if key else "")


def task_cards(built: Entry) -> list[Card]:
    """The one card a task entry makes, or none with its problems recorded on the entry."""
    from ckaquiz.domains import CKA_DOMAINS

    scenario = text_of(built.entry["scenario"])
    weight = built.entry["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
        built.problem(f"weight must be a whole number of percent from 1 to 100, got {weight!r}", "weight")
    context = _context(built)
    topic_value = built.entry.get("topic")
    if topic_value is not None and (not isinstance(topic_value, str | int) or not str(topic_value).strip()):
        built.problem("topic must be a non-empty word", "topic")
    domain_tags = {domain.tag for domain in CKA_DOMAINS}
    domains = [tag for tag in built.common.get("tags", ()) if tag in domain_tags]
    if len(domains) != 1:
        known = ", ".join(sorted(domain_tags))
        found = f"has {len(domains)}" if domains else "has none"
        built.problem(f"a task needs exactly one CKA domain tag ({known}); it {found}", "tags")
    steps = _steps(built)
    if built.problems:
        return []
    identity = built.base_id(scenario)
    topic = str(topic_value).strip() if topic_value is not None else identity
    details = TaskDetails(weight=weight, topic=topic, context=context, domain=domains[0], steps=tuple(steps))
    answer = "\n\n".join(step["answer"] for step in steps)
    return [built.card(identity, scenario, answer, sibling_key=identity, fields=details.to_fields())]


def _context(built: Entry) -> str:
    value = built.entry.get("context")
    if value is None:
        return ""
    if isinstance(value, Mapping):
        if not all(isinstance(item, str | int | float) for item in value.values()):
            built.problem("context must be text or a mapping of names to values", "context")
            return ""
        return "\n".join(f"{key}: {text_of(item)}" for key, item in value.items())
    if isinstance(value, str | int | float):
        return text_of(value)
    built.problem("context must be text or a mapping of names to values", "context")
    return ""


def _steps(built: Entry) -> list[dict[str, Any]]:
    value = built.entry["steps"]
    if not isinstance(value, list) or not value:
        built.problem("steps must be a list of at least one step (a command or a manifest)", "steps")
        return []
    if len(value) > MAX_STEPS:
        built.problem(f"a task has {len(value)} steps (at most {MAX_STEPS})", "steps")
        return []
    return [step for index, item in enumerate(value) if (step := _step(built, index, item)) is not None]


def _step(built: Entry, index: int, item: object) -> dict[str, Any] | None:
    number = index + 1

    def problem(message: str, key: str = "") -> None:
        line_key = step_line_key(index, key)
        if line_key not in built.field_lines:
            line_key = step_line_key(index) if step_line_key(index) in built.field_lines else "steps"
        built.problem(f"step {number}: {message}", line_key)

    if not isinstance(item, Mapping):
        problem("a step must be a mapping with `kind` and `answer`")
        return None
    kind = str(item.get("kind", "")).strip().lower()
    if kind not in STEP_KINDS:
        problem(f"kind must be command or manifest, got {item.get('kind')!r}", "kind")
        return None
    unknown = sorted(str(key) for key in item if key not in STEP_FIELDS[kind])
    for key in unknown:
        problem(f"unknown field {key!r} for a {kind} step (allowed: {', '.join(sorted(STEP_FIELDS[kind]))})", key)
    answer = text_of(item.get("answer"))
    if not answer.strip():
        problem(f"missing answer for a {kind} step", "answer")
        return None
    if len(answer) > MAX_ANSWER_CHARS:
        problem(f"the answer is {len(answer)} characters long (at most {MAX_ANSWER_CHARS})", "answer")
        return None
    points = item.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
        problem(f"points must be a whole number from 1 to {MAX_POINTS}, got {points!r}", "points")
        return None
    step: dict[str, Any] = {"kind": kind, "question": text_of(item.get("question", "")), "points": points}
    if kind == "command":
        alternatives = item.get("alternatives", [])
        if not isinstance(alternatives, list):
            problem("alternatives must be a list of commands", "alternatives")
            return None
        others = [text_of(other) for other in alternatives]
        if any(len(other) > MAX_ANSWER_CHARS for other in others):
            problem(f"an alternative is longer than {MAX_ANSWER_CHARS} characters", "alternatives")
            return None
        step |= {"answer": answer.strip(), "alternatives": others}
    else:
        strict = item.get("strict", False)
        if not isinstance(strict, bool):
            problem("strict must be true or false", "strict")
            return None
        refusal = manifest_problem(answer) or _not_a_mapping(answer)
        if refusal is not None:
            problem(refusal, "answer")
            return None
        step |= {"answer": answer, "strict": strict}
    return None if unknown else step


def _not_a_mapping(text: str) -> str | None:
    import yaml

    if isinstance(yaml.safe_load(text), dict):
        return None
    return "the expected manifest is not a YAML mapping (apiVersion, kind, ...)"
