"""Command grading: a typed shell command compared by meaning with the expected one.

Commands are compared the way the shell and the program would read them: the command path
(`kubectl create secret tls`), positional arguments in order, flags as a set, short and long
flag forms alike, resource type aliases alike.

Exam-terminal habits count as equal: `k` is `kubectl` (the exam sets that alias), a leading
`sudo` or `$ ` prompt is ignored, `ETCDCTL_API=3` is etcdctl's default since etcd 3.4, and
`kubelet.service` is `kubelet` for systemctl and journalctl.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ckaquiz.grading.policy import suggest
from ckaquiz.grading.programs import (
    ANY_WORD,
    DEFAULT_ENVIRONMENT,
    GENERIC,
    KUBECTL_PAIR_VERBS,
    KUBECTL_TYPED_VERBS,
    PROGRAM_ALIASES,
    PROGRAMS,
    FlagRules,
    Program,
    Tree,
    resource_reference,
    resource_type,
)
from ckaquiz.grading.results import CommandGradeResult

_DURATION = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?)h)?(?:(?P<minutes>\d+(?:\.\d+)?)m)?(?:(?P<seconds>\d+(?:\.\d+)?)s)?"
)


def parse_duration(text: str) -> float:
    """Read a target time such as `45s`, `2m`, `1m30s` or `1h` as seconds."""
    cleaned = text.strip().lower().replace(" ", "")
    match = _DURATION.fullmatch(cleaned)
    if not cleaned or match is None:
        raise ValueError(f"not a duration: {text!r} (write it like 45s, 2m or 1m30s)")
    hours, minutes, seconds = (float(match.group(name) or 0) for name in ("hours", "minutes", "seconds"))
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"a duration must be longer than zero: {text!r}")
    return total


# ---------------------------------------------------------------------------------------------
# Reading a command line

_CONTROL_OPERATORS = frozenset({"|", "||", "&&", ";", "&", "|&", ";;"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)
_NUMBER_FLAG = re.compile(r"-\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Invocation:
    """One simple command of a command line, reduced to what it means."""

    program: str
    path: tuple[str, ...]
    environment: tuple[str, ...]
    arguments: tuple[str, ...]
    unordered_arguments: tuple[str, ...]
    flags: Mapping[str, tuple[str | None, ...]]
    after_dashes: tuple[str, ...] | None
    redirections: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class _CommandLine:
    """A whole typed line: its simple commands, the operators between them and any split problem."""

    invocations: tuple[_Invocation, ...]
    operators: tuple[str, ...]
    problem: str | None


@dataclass(frozen=True)
class _Hints:
    """Arity evidence for flags no table knows, gathered from both commands being compared."""

    valued: frozenset[str]
    boolean: frozenset[str]


def _lex(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def _split_words(text: str) -> tuple[list[str], str | None]:
    """Words as a POSIX shell splits them; on a quoting error, the best repair and the error."""
    cleaned = re.sub(r"\\\r?\n", "", text).strip()
    if cleaned.startswith("$ "):
        cleaned = cleaned[2:]
    try:
        return _lex(cleaned), None
    except ValueError as error:
        problem = f"cannot split the command as a shell would: {str(error).lower()}"
    for repaired in (cleaned + '"', cleaned + "'", cleaned.rstrip("\\")):
        try:
            return _lex(repaired), problem
        except ValueError:
            continue
    return cleaned.split(), problem


def _is_flag(word: str) -> bool:
    return word.startswith("-") and word not in ("-", "--")


def _segments(words: list[str]) -> tuple[list[tuple[list[str], list[str]]], list[str]]:
    """Split words into simple commands (words, redirections) and the operators joining them."""
    segments: list[tuple[list[str], list[str]]] = [([], [])]
    operators: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        current_words, redirections = segments[-1]
        if word in _CONTROL_OPERATORS:
            operators.append(word)
            segments.append(([], []))
        elif word and set(word) <= set("<>&") and ("<" in word or ">" in word):
            operator = word
            if current_words and len(current_words[-1]) == 1 and current_words[-1].isdigit():
                operator = current_words.pop() + operator
            target = words[index + 1] if index + 1 < len(words) else ""
            index += 1
            separator = "" if operator.endswith("&") else " "
            redirections.append(f"{operator}{separator}{target}".strip())
        else:
            current_words.append(word)
        index += 1
    return segments, operators


def _hints(word_lists: Sequence[Sequence[str]]) -> _Hints:
    valued: set[str] = set()
    boolean: set[str] = set()
    for words in word_lists:
        for index, word in enumerate(words):
            if word == "--":
                break
            if not _is_flag(word):
                continue
            name, equals, _ = word.partition("=")
            following = words[index + 1] if index + 1 < len(words) else None
            if equals:
                valued.add(name)
            elif following is None or _is_flag(following) or following == "--":
                boolean.add(name)
    return _Hints(valued=frozenset(valued), boolean=frozenset(boolean - valued))


def _program_of(words: list[str]) -> tuple[str, list[str], list[str]]:
    """The program name, the environment assignments before it and the words after it."""
    environment: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if _ASSIGNMENT.fullmatch(word):
            environment.append(word)
        elif word == "sudo":  # the exam shell is often root already: `sudo` changes nothing graded
            while index + 1 < len(words) and _is_flag(words[index + 1]):
                index += 1
        else:
            break
        index += 1
    if index >= len(words):
        return "", environment, []
    program = words[index]
    return PROGRAM_ALIASES.get(program, program), environment, words[index + 1 :]


def _read_flag(
    words: Sequence[str], index: int, rules: FlagRules, program: Program, hints: _Hints
) -> tuple[list[tuple[str, str | None]], int]:
    """The flags one word (and maybe its value word) holds, and the index after them."""
    word = words[index]
    following = words[index + 1] if index + 1 < len(words) else None
    if _NUMBER_FLAG.fullmatch(word):
        return [(word, None)], index + 1
    if not word.startswith("--") and program.clusters and f"-{word[1]}" in rules.short:
        flags: list[tuple[str, str | None]] = []
        for position in range(1, len(word)):
            name = rules.short.get(f"-{word[position]}")
            if name is None:  # an unknown letter: keep the rest as single-letter switches
                flags.extend((f"-{letter}", None) for letter in word[position:])
                break
            rest = word[position + 1 :]
            if name in rules.valued:
                value = rest[1:] if rest.startswith("=") else rest
                if value:
                    flags.append((name, value))
                    return flags, index + 1
                if following is not None and not _is_flag(following) and following != "--":
                    flags.append((name, following))
                    return flags, index + 2
                flags.append((name, None))
                return flags, index + 1
            if rest.startswith("="):
                flags.append((name, _boolean_value(rest[1:])))
                return flags, index + 1
            if not rest and name not in rules.boolean:
                taken, next_index = _with_arity(name, words, index, rules, hints)
                return flags + taken, next_index
            flags.append((name, None))
        return flags, index + 1
    name, equals, value = word.partition("=")
    name = rules.short.get(name, name)
    if equals:
        return [(name, _boolean_value(value) if name in rules.boolean else value)], index + 1
    return _with_arity(name, words, index, rules, hints)


def _boolean_value(value: str) -> str | None:
    return None if value.lower() == "true" else value


def _with_arity(
    name: str, words: Sequence[str], index: int, rules: FlagRules, hints: _Hints
) -> tuple[list[tuple[str, str | None]], int]:
    following = words[index + 1] if index + 1 < len(words) else None
    if name in rules.boolean or following is None or following == "--":
        return [(name, None)], index + 1
    if name in rules.valued and not _is_flag(following):  # `--dry-run -o yaml`: the flag lacks its value
        return [(name, following)], index + 2
    if name in hints.boolean and name not in hints.valued:
        return [(name, None)], index + 1
    if _is_flag(following):
        return [(name, None)], index + 1
    return [(name, following)], index + 2


def _split_list(value: str) -> list[str]:
    """Comma-separated items, ignoring commas inside parentheses (`app in (a,b)`)."""
    items: list[str] = []
    depth = 0
    current = ""
    for character in value:
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(0, depth - 1)
        if character == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += character
    items.append(current.strip())
    return [item for item in items if item]


def _normalise_flags(
    program_name: str, program: Program, flags: list[tuple[str, str | None]]
) -> dict[str, tuple[str | None, ...]]:
    values: dict[str, list[str | None]] = {}
    for name, value in flags:
        values.setdefault(name, []).append(_normalise_flag_value(program_name, name, value))
    normalised: dict[str, tuple[str | None, ...]] = {}
    for name, found in values.items():
        if name in program.list_flags:
            items: set[str] = set()
            for value in found:
                for item in _split_list(value or ""):
                    items.add(resource_reference(resource_type(item) or item) if name == "--resource" else item)
            normalised[name] = (",".join(sorted(items)) if items else None,)
        else:
            normalised[name] = tuple(sorted(found, key=lambda value: (value is not None, value or "")))
    return normalised


def _normalise_flag_value(program_name: str, name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if program_name == "journalctl" and name == "--unit":
        return value.removesuffix(".service")
    if program_name == "kubectl" and name == "--from":
        return resource_reference(value)
    return value


def _normalise_kubectl_arguments(path: tuple[str, ...], arguments: list[str]) -> tuple[list[str], list[str]]:
    """Resource types canonical, `TYPE NAME` as `type/name`, label and taint pairs unordered."""
    verb = path[1:]
    if verb[:1] == ("cp",):
        return arguments, []
    if verb == ("auth", "can-i"):
        return [
            (resource_type(word) or resource_reference(word)) if position == 1 else word
            for position, word in enumerate(arguments)
        ], []
    if verb[:1] == ("explain",):
        return [_explain_path(word) if position == 0 else word for position, word in enumerate(arguments)], []
    if not verb or verb[0] not in KUBECTL_TYPED_VERBS:
        return [resource_reference(word) for word in arguments], []
    pairs = verb in KUBECTL_PAIR_VERBS
    ordered: list[str] = []
    unordered: list[str] = []
    kind: str | None = None
    kind_used = False
    for position, word in enumerate(arguments):
        if pairs and position > 0 and ("=" in word or ":" in word or word.endswith("-")):
            unordered.append(word)
        elif "/" in word:
            ordered.append(resource_reference(word))
        elif kind is None and not ordered and _resource_types(word) is not None:
            kind = _resource_types(word)
        elif kind is not None and "," not in kind:
            ordered.append(f"{kind}/{word}")
            kind_used = True
        else:
            ordered.append(word)
    if kind is not None and not kind_used:
        ordered.insert(0, kind)
    return ordered, sorted(unordered)


def _resource_types(word: str) -> str | None:
    """`pods,svc` -> `pod,service`; None unless every part is a resource type."""
    kinds = [resource_type(part) for part in word.split(",")]
    if not kinds or any(kind is None for kind in kinds):
        return None
    return ",".join(sorted({kind for kind in kinds if kind is not None}))


def _explain_path(word: str) -> str:
    head, dot, rest = word.partition(".")
    kind = resource_type(head)
    return f"{kind}{dot}{rest}" if kind else word


def _parse_invocation(words: list[str], redirections: list[str], hints: _Hints) -> _Invocation:
    program_name, environment, rest = _program_of(words)
    program = PROGRAMS.get(program_name, GENERIC)
    path: list[str] = [program_name]
    node: Tree = program.tree
    arguments: list[str] = []
    flags: list[tuple[str, str | None]] = []
    after_dashes: tuple[str, ...] | None = None
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--":
            after_dashes = tuple(rest[index + 1 :])
            break
        if _is_flag(word):
            found, index = _read_flag(rest, index, program.rules(path[1:]), program, hints)
            flags.extend(found)
            continue
        step = _tree_step(program_name, program, node, word) if not arguments else None
        if step is not None:
            path.append(step)
            node = node.get(step, node.get(ANY_WORD, {}))
        else:
            arguments.append(word)
        index += 1
    unordered: list[str] = []
    if program_name == "kubectl":
        arguments, unordered = _normalise_kubectl_arguments(tuple(path), arguments)
    elif program_name == "systemctl":
        arguments = [word.removesuffix(".service") for word in arguments]
    if tuple(path[1:]) in program.unordered_paths:
        arguments, unordered = [], sorted(arguments)
    defaults = DEFAULT_ENVIRONMENT.get(program_name, frozenset())
    return _Invocation(
        program=program_name,
        path=tuple(path),
        environment=tuple(sorted(item for item in environment if item not in defaults)),
        arguments=tuple(arguments),
        unordered_arguments=tuple(unordered),
        flags=_normalise_flags(program_name, program, flags),
        after_dashes=after_dashes,
        redirections=tuple(sorted(redirections)),
        text=" ".join([shlex.join(words), *redirections]),
    )


def _tree_step(program_name: str, program: Program, node: Tree, word: str) -> str | None:
    """The path word `word` stands for at this point of the command tree, or None."""
    candidates = [word, program.word_aliases.get(word, word)]
    if program_name == "kubectl":
        candidates.append(resource_type(word) or word)
    for candidate in candidates:
        if candidate in node:
            return candidate
    return word if ANY_WORD in node else None


def _read_command(text: str, hint_words: Sequence[str]) -> _CommandLine:
    words, problem = _split_words(text)
    segments, operators = _segments(words)
    hint_segments, _ = _segments(list(hint_words))
    hints = _hints([segment for segment, _ in segments] + [segment for segment, _ in hint_segments])
    invocations = tuple(
        _parse_invocation(segment_words, redirections, hints)
        for segment_words, redirections in segments
        if segment_words or redirections
    )
    return _CommandLine(invocations=invocations, operators=tuple(operators), problem=problem)


# ---------------------------------------------------------------------------------------------
# Comparing commands


@dataclass
class _Tally:
    """Running totals of one comparison: items matched, items expected, extra items, differences."""

    matched: float = 0.0
    total: float = 0.0
    extra: float = 0.0
    differences: list[str] = field(default_factory=list)
    mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    """(where, expected, typed) for each single value typed in place of another."""

    def add(self, other: _Tally, prefix: str = "") -> None:
        self.matched += other.matched
        self.total += other.total
        self.extra += other.extra
        self.differences.extend(prefix + difference for difference in other.differences)

    @property
    def score(self) -> float:
        denominator = self.total + self.extra
        return 1.0 if denominator == 0 else self.matched / denominator


def _show_value(value: str | None) -> str:
    return "no value" if value is None else (value if value else '""')


def _compare_invocations(expected: _Invocation, typed: _Invocation) -> _Tally:
    tally = _Tally()
    tally.total += len(expected.path)
    if expected.path == typed.path:
        tally.matched += len(expected.path)
    else:
        tally.differences.append(f"expected command {' '.join(expected.path)}, got {' '.join(typed.path)}")
    _compare_environment(expected.environment, typed.environment, tally)
    _compare_sequence(expected.arguments, typed.arguments, tally, "argument")
    _compare_sets(expected.unordered_arguments, typed.unordered_arguments, tally, "argument")
    _compare_flags(expected.flags, typed.flags, tally)
    _compare_redirections(expected.redirections, typed.redirections, tally)
    _compare_after_dashes(expected.after_dashes, typed.after_dashes, tally)
    tally.differences.extend(_swaps(tally.mismatches))
    return tally


def _swaps(mismatches: Sequence[tuple[str, str, str]]) -> list[str]:
    """`web and nginx are swapped (argument 1 and --image)`: two values typed in each other's place."""
    found: list[str] = []
    for position, (place, wanted, got) in enumerate(mismatches):
        for other_place, other_wanted, other_got in mismatches[position + 1 :]:
            if wanted == other_got and got == other_wanted and wanted != got:
                found.append(f"{_show_value(wanted)} and {_show_value(got)} are swapped ({place} and {other_place})")
    return found


def _compare_environment(expected: Sequence[str], typed: Sequence[str], tally: _Tally) -> None:
    expected_values = dict(item.split("=", 1) for item in expected)
    typed_values = dict(item.split("=", 1) for item in typed)
    for name, value in expected_values.items():
        tally.total += 1
        if name not in typed_values:
            tally.differences.append(f"missing environment variable {name}={value}")
        elif typed_values[name] != value:
            tally.matched += 0.5
            tally.differences.append(f"expected environment variable {name}={value}, got {name}={typed_values[name]}")
        else:
            tally.matched += 1
    for name, value in typed_values.items():
        if name not in expected_values:
            tally.extra += 1
            tally.differences.append(f"unexpected environment variable {name}={value}")


def _compare_sequence(expected: Sequence[str], typed: Sequence[str], tally: _Tally, noun: str) -> None:
    tally.total += len(expected)
    matcher = difflib.SequenceMatcher(None, list(expected), list(typed), autojunk=False)
    for tag, first_start, first_end, second_start, second_end in matcher.get_opcodes():
        wanted = expected[first_start:first_end]
        got = typed[second_start:second_end]
        if tag == "equal":
            tally.matched += len(wanted)
            continue
        for offset, (wanted_word, got_word) in enumerate(zip(wanted, got, strict=False)):
            tally.differences.append(f"expected {noun} {_show_value(wanted_word)}, got {_show_value(got_word)}")
            tally.mismatches.append((f"{noun} {first_start + offset + 1}", wanted_word, got_word))
        for wanted_word in wanted[len(got) :]:
            tally.differences.append(f"missing {noun} {_show_value(wanted_word)}")
        for got_word in got[len(wanted) :]:
            tally.extra += 1
            tally.differences.append(f"unexpected {noun} {_show_value(got_word)}")


def _compare_sets(expected: Sequence[str], typed: Sequence[str], tally: _Tally, noun: str) -> None:
    remaining = list(typed)
    for item in expected:
        tally.total += 1
        if item in remaining:
            remaining.remove(item)
            tally.matched += 1
        else:
            tally.differences.append(f"missing {noun} {item}")
    for item in remaining:
        tally.extra += 1
        tally.differences.append(f"unexpected {noun} {item}")


def _compare_flags(
    expected: Mapping[str, tuple[str | None, ...]], typed: Mapping[str, tuple[str | None, ...]], tally: _Tally
) -> None:
    for name, wanted in expected.items():
        tally.total += 1
        if name not in typed:
            tally.differences.append(f"missing flag {name}")
            continue
        got = typed[name]
        if wanted == got:
            tally.matched += 1
            continue
        tally.matched += 0.5
        if len(wanted) == 1 and len(got) == 1:
            tally.differences.append(f"expected value {_show_value(wanted[0])} for {name}, got {_show_value(got[0])}")
            if wanted[0] is not None and got[0] is not None:
                tally.mismatches.append((name, wanted[0], got[0]))
            continue
        remaining = list(got)
        for value in wanted:
            if value in remaining:
                remaining.remove(value)
            else:
                tally.differences.append(f"missing value {_show_value(value)} for {name}")
        for value in remaining:
            tally.differences.append(f"unexpected value {_show_value(value)} for {name}")
    for name in typed:
        if name not in expected:
            tally.extra += 1
            tally.differences.append(f"unexpected flag {name}")


def _compare_redirections(expected: Sequence[str], typed: Sequence[str], tally: _Tally) -> None:
    if len(expected) == 1 and len(typed) == 1 and expected[0] != typed[0]:
        tally.total += 1
        tally.differences.append(f"expected redirection {expected[0]}, got {typed[0]}")
        return
    _compare_sets(expected, typed, tally, "redirection")


def _compare_after_dashes(expected: tuple[str, ...] | None, typed: tuple[str, ...] | None, tally: _Tally) -> None:
    if expected == typed:
        tally.total += len(expected or ())
        tally.matched += len(expected or ())
        return
    wanted = list(expected or ())
    got = list(typed or ())
    tally.total += max(1, len(wanted))
    matcher = difflib.SequenceMatcher(None, wanted, got, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    tally.matched += same
    tally.extra += len(got) - same
    if expected is None:
        tally.differences.append(f"unexpected command after --: {shlex.join(got)}")
    elif typed is None:
        tally.differences.append(f"missing command after --: {shlex.join(wanted)}")
    else:
        tally.differences.append(f"expected command after --: {shlex.join(wanted)}, got {shlex.join(got)}")


def _compare_lines(expected: _CommandLine, typed: _CommandLine) -> tuple[_Tally, bool]:
    """Compare two command lines; also say whether every command path matched."""
    tally = _Tally()
    several = max(len(expected.invocations), len(typed.invocations)) > 1
    same_paths = len(expected.invocations) == len(typed.invocations)
    for position, (wanted, got) in enumerate(zip(expected.invocations, typed.invocations, strict=False)):
        part = _compare_invocations(wanted, got)
        same_paths = same_paths and wanted.path == got.path
        tally.add(part, prefix=f"part {position + 1}: " if several else "")
    for position, wanted in enumerate(expected.invocations[len(typed.invocations) :], start=len(typed.invocations)):
        tally.total += 1 + len(wanted.arguments) + len(wanted.flags)
        tally.differences.append(f"missing part {position + 1}: {wanted.text}")
    for position, got in enumerate(typed.invocations[len(expected.invocations) :], start=len(expected.invocations)):
        tally.extra += 1
        tally.differences.append(f"unexpected part {position + 1}: {got.text}")
    for position, (wanted_operator, got_operator) in enumerate(zip(expected.operators, typed.operators, strict=False)):
        tally.total += 1
        if wanted_operator == got_operator:
            tally.matched += 1
        else:
            tally.differences.append(
                f"expected {wanted_operator} between parts {position + 1} and {position + 2}, got {got_operator}"
            )
    return tally, same_paths


def grade_command(
    typed: str,
    expected: str,
    alternatives: Sequence[str] = (),
    *,
    seconds_taken: float | None = None,
    time_limit_seconds: float | None = None,
    easy_seconds: float | None = None,
) -> CommandGradeResult:
    """Grade a typed shell command against the expected one and its accepted alternatives.

    Any difference suggests *again* (the grade policy of `ckaquiz.grading.policy`); a right
    answer is *easy* within half the card's `time_limit_seconds`, or else within `easy_seconds`.
    """
    best: tuple[tuple[bool, float, int], _Tally, bool, str] | None = None
    for answer in (expected, *alternatives):
        answer_words, _ = _split_words(answer)
        typed_words, _ = _split_words(typed)
        typed_line = _read_command(typed, answer_words)
        expected_line = _read_command(answer, typed_words)
        if not typed_line.invocations:
            tally = _Tally(total=1.0, differences=["no command typed"])
            same_paths = False
        else:
            tally, same_paths = _compare_lines(expected_line, typed_line)
            if typed_line.problem:
                tally.differences.insert(0, typed_line.problem)
                tally.extra += 1
        rank = (not tally.differences, tally.score, -len(tally.differences))
        if best is None or rank > best[0]:
            best = (rank, tally, same_paths, answer)
    assert best is not None  # the loop always runs at least once
    _, tally, _, answer = best
    differences = list(tally.differences)
    if differences:
        judged = _judged_by_kubectl(typed, (expected, *alternatives), answer, differences)
        if judged is not None:
            answer, differences = judged
    correct = not differences
    limit = time_limit_seconds / 2 if time_limit_seconds is not None and time_limit_seconds > 0 else easy_seconds
    return CommandGradeResult(
        correct=correct,
        suggested=suggest(correct=correct, seconds_taken=seconds_taken, easy_seconds=limit),
        differences=tuple(differences),
        score=1.0 if correct else tally.score,
        matched_answer=answer,
    )


def _kubectl_words(text: str) -> tuple[str, ...] | None:
    """The words of a lone `kubectl create ...` or `kubectl run ...` command, for kubectl to render."""
    from ckaquiz.grading.kubectl import RENDERED_VERBS

    line = _read_command(text, ())
    if len(line.invocations) != 1 or line.operators or line.problem:
        return None
    invocation = line.invocations[0]
    if invocation.program != "kubectl" or invocation.redirections or invocation.environment:
        return None
    if len(invocation.path) < 2 or invocation.path[1] not in RENDERED_VERBS:
        return None
    _, _, rest = _program_of(_split_words(text)[0])
    start = 0
    while start < len(rest) and rest[start] in ("-n", "--namespace") and start + 1 < len(rest):
        start += 2
    while start < len(rest) and rest[start].startswith(("-n=", "--namespace=")):
        start += 1
    if start >= len(rest) or rest[start] not in RENDERED_VERBS:
        return None  # only a namespace may come before the verb, so kubectl reads the verb we read
    return ("kubectl", *rest)


def _judged_by_kubectl(
    typed: str, answers: Sequence[str], best_answer: str, token_differences: list[str]
) -> tuple[str, list[str]] | None:
    """(answer, differences) from the objects kubectl renders, or None where it cannot judge.

    The answer typed is right when it renders to the object of any accepted answer. Otherwise
    the differences are those of the objects rendered for `best_answer`, with what rendering
    cannot see (`--dry-run`, `-o`, redirections) and any swap kept from the token comparison.
    """
    typed_words = _kubectl_words(typed)
    if typed_words is None:
        return None
    from ckaquiz.grading import kubectl

    if kubectl.kubectl_path() is None or not kubectl.renderable(typed_words):
        return None
    judged: tuple[str, list[str]] | None = None
    for answer in answers:
        answer_words = _kubectl_words(answer)
        if answer_words is None:
            continue
        expected = kubectl.render(answer_words)
        if expected.manifest is None:
            continue
        rendered = kubectl.render(typed_words)
        if rendered.error is not None:
            return answer, [f"kubectl: {rendered.error}", *token_differences]
        if rendered.manifest is None:
            return None
        from ckaquiz.grading.manifests import grade_manifest

        compared = grade_manifest(rendered.manifest, expected.manifest, strict=True)
        unseen = [
            difference
            for difference in _token_differences(typed, answer)
            if any(sign in difference for sign in ("--dry-run", "--output", "redirection", " are swapped "))
        ]
        differences = [*compared.differences, *unseen]
        if not differences:
            return answer, []
        if answer == best_answer or judged is None:
            judged = (answer, differences)
    return judged


def _token_differences(typed: str, answer: str) -> list[str]:
    typed_words, _ = _split_words(typed)
    answer_words, _ = _split_words(answer)
    tally, _ = _compare_lines(_read_command(answer, typed_words), _read_command(typed, answer_words))
    return tally.differences
