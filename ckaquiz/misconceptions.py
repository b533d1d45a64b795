"""The misconception bank: known wrong claims, their corrections, and matchers that recognise them.

A bank is a YAML file (the built-in one is `decks/misconceptions.yaml`) with a `terms` table of
named synonym sets (`pod: "pod|파드|포드"`, used in matchers as `@pod`) and a list of `entries`.
Each entry holds an id, the wrong statement and its correction in English and Korean, a
documentation reference, a severity (`major` suggests *again*, `minor` *hard*), topic tags and a
`match` mapping: per language (`en`, `ko`) a list of patterns, and `unless`, cues of a correct
statement that cancel any match in the sentence.

A pattern is data, not code:

* `all`: groups of alternatives (`"evict|remov|delet"`) that must all occur in one sentence
  (with `scope: clause`, in one clause). Latin alternatives match at the start of a word
  (`evict` finds `evicted`, `eviction`); a leading `=` asks for the whole word. Korean
  alternatives ignore spacing (`세개` finds `세 개`) and may sit inside a word.
* `context`: groups that may also be met in the two sentences before (a table row's context
  is its header), for claims that lean on what was just said.
* `none`: groups that must not occur in the sentence (or clause).
* `ordered: true`: the `all` groups must occur in their order.
* The claim is the last `all` group (or `claim: N`): a negation that governs it cancels the
  match (English `not`, `never`, `n't` shortly before it in its clause, or "is not" just after
  it; Korean `않`, `아니`, `없`, `못` right after the verb, or `안`/`못` before it), unless the
  pattern says `negatable: false` (a claim that is itself a negation: "ENTRYPOINT cannot be
  overridden").
* Questions assert nothing and are never matched.

An entry may instead hold a `swap` rule, the generic family for paired terms (requests and
limits, ClusterIP and NodePort ...): `sides`, each a `term` and its own `property`; a sentence
that names one side's term, no other side's term and not its own property, but another side's
property, attributes that property to the wrong side. `also` lists the sides whose properties
a side shares (a LoadBalancer Service also has node ports). `negatable: false` keeps negations
from cancelling it ("CrashLoopBackOff means the image cannot be pulled").

Everything here is a pure function of its arguments; matching is linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ckaquiz.sentences import sentence_spans
from ckaquiz.text import compatibility_form

__all__ = [
    "LANGUAGES",
    "SEVERITIES",
    "Bank",
    "BankProblem",
    "Hit",
    "Misconception",
    "builtin_bank",
    "builtin_bank_path",
    "entries_for",
    "find",
    "load_bank",
    "parse_bank",
    "parse_inline_entry",
    "pitfall_problems",
    "recall_misconceptions",
    "sentence_spans",
]

LANGUAGES = ("en", "ko")
SEVERITIES = ("major", "minor")
CONTEXT_SENTENCES = 2
"""How many sentences before a sentence its `context` groups may be met in."""
GENERIC_TAGS = frozenset({"cka", "aws"})
"""Tags too broad to pick bank entries for a card by."""

_ENTRY_FIELDS = frozenset({"id", "severity", "tags", "wrong", "correction", "reference", "match", "swap"})
_PATTERN_FIELDS = frozenset({"all", "context", "none", "ordered", "scope", "claim", "negatable"})
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TERM_REFERENCE = re.compile(r"@([a-z0-9_-]+)")

# A sentence ends at a line break, at . ! ? followed by a space, at 。！？, or after a Korean
# ending (다/요/함/됨/임 after a syllable) followed by a space, unless a parenthesis follows:
# `…설정한다 (staticPodPath).` is one sentence. Words that only look like endings (보다 "than",
# 둘다 "both", 필요 "need", 중요 "important") do not end one.
# Clauses: punctuation, English conjunctions, and Korean connective endings followed by a space.
_CLAUSE_BREAK = re.compile(
    r"[,;:，；—|·•]|\s[-–]\s|\b(?:but|whereas|while|although|though|instead|however)\b"
    r"|(?<=[가-힣])(?:고|며|지만|는데|면서|니까|므로|으나|더라도|라도|면|아서|어서|해서|되어)(?=\s)"
)
# The clauses a comparison of two sides is made of: coordination only. A condition stays with its
# consequence ("메모리 limit를 넘으면 스로틀링된다" is one claim).
_PARALLEL_BREAK = re.compile(
    r"[,;，；|·•]|\s[-–]\s|\b(?:but|whereas|while|although|though|however)\b"
    r"|(?<=[가-힣])(?:고|며|지만|는데|으나|반면)(?=\s)"
)
_ENGLISH_NEGATION = re.compile(
    r"\b(?:not|never|no|cannot|neither|nor|nothing|none)\b|n't\b|\brather than\b|\binstead of\b"
)
_ENGLISH_NEGATED_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|do|does|did|can|will|would|should|must)\s+(?:not|never)\b|\b(?:is|are|do|does|ca|wo)n't\b"
)
_KOREAN_NEGATION = re.compile(r"않|아니|없[다이고음는어었지게]|없$|못|(?:^|\s)안\s|안\s?된|불가|아님")
ENGLISH_NEGATION_REACH = 40
"""An English negation governs a claim when it comes at most this many characters before it, in its clause."""
KOREAN_NEGATION_REACH = 14
"""A Korean negation follows its verb: it governs a claim when it ends at most this many characters after it."""
_MARKUP = re.compile(r"`+|\*\*|__|==|~~|\[\[|\]\]")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern: groups that must co-occur, and how negation and context apply."""

    groups: tuple[re.Pattern[str], ...]
    context: tuple[re.Pattern[str], ...] = ()
    absent: tuple[re.Pattern[str], ...] = ()
    ordered: bool = False
    clause_scope: bool = False
    claim: int = -1
    negatable: bool = True
    within_item: bool = False  # the groups must not lie in different items of a list
    parallel: bool = False  # a clause of a sentence that names both sides of a swap (see _parallel_text)
    identity: bool = False  # "A is the B": the first side named as the second (see _identity_claim)


@dataclass(frozen=True)
class Matcher:
    """Per language, the patterns of one entry and its `unless` cues."""

    patterns: Mapping[str, tuple[Pattern, ...]]
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Misconception:
    """A known wrong claim, what the documentation says instead, and where."""

    id: str
    severity: str
    tags: tuple[str, ...]
    wrong: Mapping[str, str]
    correction: Mapping[str, str]
    reference: str
    matcher: Matcher = field(compare=False, repr=False)

    def text(self, texts: Mapping[str, str], language: str) -> str:
        """`texts` in `language`, or in the other language when it has none."""
        return texts.get(language) or next((value for value in texts.values() if value), "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view, without the matcher."""
        return {
            "id": self.id,
            "severity": self.severity,
            "tags": list(self.tags),
            "wrong": dict(self.wrong),
            "correction": dict(self.correction),
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Hit:
    """A sentence of a text that states a misconception: its span, line and language."""

    misconception: Misconception
    sentence: str
    start: int
    end: int
    line: int
    language: str

    @property
    def correction(self) -> str:
        """The correction in the sentence's language."""
        return self.misconception.text(self.misconception.correction, self.language)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: what was said, where, and what the documentation says."""
        return {
            "id": self.misconception.id,
            "severity": self.misconception.severity,
            "said": self.sentence,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "language": self.language,
            "wrong": self.misconception.text(self.misconception.wrong, self.language),
            "correction": self.correction,
            "reference": self.misconception.reference,
        }


@dataclass(frozen=True)
class BankProblem:
    """A bad bank entry: reported as `file:line: entry ID: message`."""

    path: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: entry {self.entry}: {self.message}"


@dataclass(frozen=True)
class Bank:
    """The entries of a bank file that loaded, and one problem per entry that did not."""

    path: str
    entries: tuple[Misconception, ...] = ()
    problems: tuple[BankProblem, ...] = ()
    terms: Mapping[str, str] = field(default_factory=dict)

    def by_id(self) -> dict[str, Misconception]:
        """The entries keyed by id."""
        return {entry.id: entry for entry in self.entries}


# --------------------------------------------------------------------------- compiling


def _alternative(text: str) -> str:
    """One alternative as a regular expression over normalised text."""
    whole_word = text.startswith("=")
    text = text.removeprefix("=").strip().casefold()
    if _HANGUL.search(text):
        characters = [character for character in text if not character.isspace()]
        return r"\s*".join(re.escape(character) for character in characters)
    words = [re.escape(word) for word in text.split()]
    body = r"[\s_-]*".join(words)
    start = r"(?<![a-z0-9])" if text[:1].isalnum() else ""
    end = r"(?![a-z0-9])" if whole_word else ""
    return f"{start}{body}{end}"


def _expand(group: str, terms: Mapping[str, str], problems: list[str]) -> list[str]:
    alternatives: list[str] = []
    for part in group.split("|"):
        part = part.strip()
        reference = _TERM_REFERENCE.fullmatch(part)
        if reference:
            name = reference.group(1)
            if name not in terms:
                problems.append(f"unknown term @{name}")
                continue
            alternatives.extend(piece.strip() for piece in terms[name].split("|") if piece.strip())
        elif part and part != "=":
            alternatives.append(part)
    return alternatives


_FRAGMENTS: dict[re.Pattern[str], tuple[str, ...]] = {}
"""Per compiled group, the text each alternative leaves once spaces, `_` and `-` are gone: a group can
only match a sentence whose compact form holds one of them, a test far cheaper than the regex."""
_COMPACT = re.compile(r"[\s_-]+")


def _fragment(alternative: str) -> str:
    return _COMPACT.sub("", alternative.removeprefix("=").casefold())


def _compile_group(group: Any, terms: Mapping[str, str], problems: list[str]) -> re.Pattern[str] | None:
    if isinstance(group, list) and all(isinstance(part, str) for part in group):
        group = "|".join(group)
    if not isinstance(group, str) or not group.strip():
        problems.append(f"a group must be text like 'evict|remove', got {group!r}")
        return None
    before = len(problems)
    alternatives = _expand(group, terms, problems)
    if not alternatives:
        if len(problems) == before:
            problems.append(f"group {group!r} has no alternatives")
        return None
    ordered = sorted({_alternative(part) for part in alternatives}, key=len, reverse=True)
    compiled = re.compile("|".join(f"(?:{part})" for part in ordered))
    _FRAGMENTS[compiled] = tuple(sorted({_fragment(part) for part in alternatives}))
    return compiled


def _compile_groups(
    value: Any, name: str, terms: Mapping[str, str], problems: list[str]
) -> tuple[re.Pattern[str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{name} must be a list of groups")
        return ()
    compiled = [_compile_group(group, terms, problems) for group in value]
    return tuple(group for group in compiled if group is not None)


def _compile_pattern(raw: Any, terms: Mapping[str, str], problems: list[str], where: str) -> Pattern | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a pattern must be a mapping with `all`")
        return None
    unknown = sorted(set(map(str, raw)) - _PATTERN_FIELDS)
    if unknown:
        problems.append(
            f"{where}: unknown pattern field {unknown[0]!r} (allowed: {', '.join(sorted(_PATTERN_FIELDS))})"
        )
        return None
    before = len(problems)
    groups = _compile_groups(raw.get("all"), "all", terms, problems)
    context = _compile_groups(raw.get("context"), "context", terms, problems)
    absent = _compile_groups(raw.get("none"), "none", terms, problems)
    if not groups:
        problems.append(f"{where}: a pattern needs at least one `all` group")
    scope = raw.get("scope", "sentence")
    if scope not in ("sentence", "clause"):
        problems.append(f"{where}: scope must be sentence or clause, got {scope!r}")
    claim = raw.get("claim", -1)
    if groups and (not isinstance(claim, int) or isinstance(claim, bool) or not -len(groups) <= claim < len(groups)):
        problems.append(f"{where}: claim must be the index of an `all` group")
        claim = -1
    for flag in ("ordered", "negatable"):
        if flag in raw and not isinstance(raw[flag], bool):
            problems.append(f"{where}: {flag} must be true or false")
    if len(problems) > before:
        return None
    return Pattern(
        groups=groups,
        context=context,
        absent=absent,
        ordered=bool(raw.get("ordered", False)),
        clause_scope=scope == "clause",
        claim=claim,
        negatable=bool(raw.get("negatable", True)),
    )


def _swap_patterns(raw: Any, terms: Mapping[str, str], problems: list[str]) -> tuple[Pattern, ...]:
    """The patterns of a paired-terms rule: one side's term with another side's property."""
    sides = raw.get("sides") if isinstance(raw, dict) else None
    if not isinstance(sides, list) or len(sides) < 2 or not all(isinstance(side, dict) for side in sides):
        problems.append("swap needs `sides`: a list of at least two mappings with `name`, `term` and `property`")
        return ()
    names = [str(side.get("name", index)) for index, side in enumerate(sides)]
    compiled: list[tuple[re.Pattern[str], re.Pattern[str] | None, set[str]]] = []
    for side in sides:
        term = _compile_group(side.get("term"), terms, problems)
        prop = _compile_group(side["property"], terms, problems) if side.get("property") else None
        also = side.get("also", [])
        if not isinstance(also, list) or any(str(name) not in names for name in also):
            problems.append(f"swap side {side.get('name')!r}: `also` must list other sides by name")
            also = []
        if term is None:
            return ()
        compiled.append((term, prop, {str(name) for name in also}))
    negatable = raw.get("negatable", True)
    if not isinstance(negatable, bool):
        problems.append("swap: negatable must be true or false")
        negatable = True
    patterns: list[Pattern] = []
    for index, (term, own_prop, also) in enumerate(compiled):
        # A sentence that names another side too, or this side's own property as well, compares the
        # two: it is left alone, so that only a plain attribution to the wrong side is caught.
        others = tuple(other_term for position, (other_term, _, _) in enumerate(compiled) if position != index)
        absent = (*others, own_prop) if own_prop is not None else others
        for position, (_other_term, other_prop, _) in enumerate(compiled):
            if position == index or other_prop is None or names[position] in also:
                continue
            # Within one item: "the pod IP, the ClusterIP, the DNS name, then from outside" lists
            # hops, it does not say the ClusterIP is reachable from outside.
            patterns.append(Pattern(groups=(term, other_prop), absent=absent, negatable=negatable, within_item=True))
            # A sentence naming both sides is read clause by clause: in "the scheduler places pods by
            # their limits, and requests cap what they use" each clause gives a side the other's property.
            patterns.append(
                Pattern(
                    groups=(term, other_prop), absent=absent, negatable=negatable, clause_scope=True, parallel=True
                )
            )
        for position, (other_term, _, _) in enumerate(compiled):
            if position == index or names[position] in also:
                continue
            # "required is the soft rule", "required는 … 선호 규칙이다": one side said to be the other.
            patterns.append(
                Pattern(groups=(term, other_term), negatable=negatable, clause_scope=True, parallel=True, identity=True)
            )
    return tuple(patterns)


def _texts(value: Any, name: str, problems: list[str], *, both: bool) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{name} must map en/ko to text")
        return {}
    texts = {str(key): str(text).strip() for key, text in value.items() if isinstance(text, str) and text.strip()}
    unknown = sorted(set(map(str, value)) - set(LANGUAGES))
    if unknown:
        problems.append(f"{name}: unknown language {unknown[0]!r} (known: en, ko)")
    wanted = LANGUAGES if both else ()
    missing = [language for language in wanted if language not in texts]
    if missing:
        problems.append(f"missing {name}.{missing[0]}")
    if not texts:
        problems.append(f"{name} has no text")
    return texts


def _entry(raw: Any, terms: Mapping[str, str], *, inline: bool) -> tuple[Misconception | None, str, list[str]]:
    """An entry from its mapping, or the problems that keep it out; the id for messages."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        return None, "?", ["an entry must be a mapping"]
    identity = raw.get("id")
    label = str(identity) if isinstance(identity, str | int) and str(identity).strip() else "?"
    if label == "?":
        problems.append("missing id")
    unknown = sorted(set(map(str, raw)) - _ENTRY_FIELDS)
    if unknown:
        problems.append(f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(_ENTRY_FIELDS))})")
    severity = raw.get("severity", "major")
    if severity not in SEVERITIES:
        problems.append(f"severity must be major or minor, got {severity!r}")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        problems.append("tags must be a list of words")
        tags = []
    wrong = _texts(raw.get("wrong"), "wrong", problems, both=False)
    correction = _texts(raw.get("correction"), "correction", problems, both=not inline)
    reference = raw.get("reference", "")
    if not isinstance(reference, str) or not reference.startswith("https://"):
        problems.append(f"reference must be an https URL, got {reference!r}")
    matcher = _matcher(raw, terms, problems)
    if problems or matcher is None:
        return None, label, problems
    return (
        Misconception(
            id=label,
            severity=str(severity),
            tags=tuple(tags),
            wrong=wrong,
            correction=correction,
            reference=str(reference),
            matcher=matcher,
        ),
        label,
        [],
    )


def _matcher(raw: dict[str, Any], terms: Mapping[str, str], problems: list[str]) -> Matcher | None:
    match = raw.get("match")
    swap = raw.get("swap")
    if match is None and swap is None:
        problems.append("needs `match` or `swap`")
        return None
    patterns: dict[str, list[Pattern]] = {language: [] for language in LANGUAGES}
    unless: re.Pattern[str] | None = None
    if match is not None:
        if not isinstance(match, dict):
            problems.append("match must map en/ko to patterns")
            return None
        for key in match:
            if key not in (*LANGUAGES, "unless"):
                problems.append(f"match: unknown key {key!r} (known: en, ko, unless)")
        for language in LANGUAGES:
            raw_patterns = match.get(language, [])
            if not isinstance(raw_patterns, list):
                problems.append(f"match.{language} must be a list of patterns")
                continue
            for number, raw_pattern in enumerate(raw_patterns, start=1):
                pattern = _compile_pattern(raw_pattern, terms, problems, f"match.{language}[{number}]")
                if pattern is not None:
                    patterns[language].append(pattern)
        if "unless" in match:
            unless = _compile_group(match["unless"], terms, problems)
    if swap is not None:
        swapped = _swap_patterns(swap, terms, problems)
        for language in LANGUAGES:
            patterns[language].extend(swapped)
    if not any(patterns.values()) and not problems:
        problems.append("the matcher has no pattern")
    return Matcher(patterns={key: tuple(value) for key, value in patterns.items()}, unless=unless)


# --------------------------------------------------------------------------- loading


def parse_bank(text: str, path: str) -> Bank:
    """A bank from YAML text: every good entry, and one problem per bad entry naming it."""
    import yaml

    from ckaquiz.yaml_nodes import construct, safe_compose

    root, problem = safe_compose(text, path)
    if problem is not None:
        return Bank(path=path, problems=(BankProblem(path, problem.line, "-", problem.message),))
    if not isinstance(root, yaml.MappingNode):
        return Bank(path=path, problems=(BankProblem(path, 1, "-", "a bank must be a mapping with `entries`"),))
    top = {str(key.value): value for key, value in root.value}
    problems: list[BankProblem] = []
    terms: dict[str, str] = {}
    if "terms" in top:
        raw_terms = construct(top["terms"])
        if isinstance(raw_terms, dict) and all(isinstance(value, str) for value in raw_terms.values()):
            terms = {str(key): value for key, value in raw_terms.items()}
        else:
            problems.append(BankProblem(path, top["terms"].start_mark.line + 1, "-", "terms must map names to text"))
    entries_node = top.get("entries")
    if not isinstance(entries_node, yaml.SequenceNode):
        problems.append(BankProblem(path, 1, "-", "no `entries` list"))
        return Bank(path=path, problems=tuple(problems), terms=terms)
    entries: list[Misconception] = []
    seen: dict[str, int] = {}
    for node in entries_node.value:
        line = node.start_mark.line + 1
        entry, label, messages = _entry(construct(node), terms, inline=False)
        if entry is not None and entry.id in seen:
            messages = [f"duplicate id (first at line {seen[entry.id]})"]
            entry = None
        if entry is None:
            problems.append(BankProblem(path, line, label, "; ".join(messages)))
            continue
        seen[entry.id] = line
        entries.append(entry)
    return Bank(path=path, entries=tuple(entries), problems=tuple(problems), terms=terms)


def load_bank(path: Path) -> Bank:
    """Read a bank file; an unreadable file is a bank with one problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Bank(path=str(path), problems=(BankProblem(str(path), 1, "-", f"cannot read ({error})"),))
    return parse_bank(text, str(path))


def builtin_bank_path() -> Path:
    """Where the built-in bank is: beside the built-in decks."""
    from ckaquiz.config import builtin_decks_folder

    return builtin_decks_folder() / "misconceptions.yaml"


@lru_cache(maxsize=1)
def builtin_bank() -> Bank:
    """The built-in bank, read once per process."""
    return load_bank(builtin_bank_path())


def parse_inline_entry(raw: Any, bank: Bank) -> tuple[Misconception | None, str]:
    """A card's own pitfall written in full (the bank's terms may be used), or why it is not one."""
    entry, label, messages = _entry(raw, bank.terms, inline=True)
    return entry, "" if entry is not None else f"pitfall {label}: {'; '.join(messages)}"


def pitfall_problems(value: Any, bank: Bank | None = None) -> list[str]:
    """What is wrong with a card's `pitfalls` list: unknown ids, bad inline entries (one line each)."""
    if not isinstance(value, list):
        return ["pitfalls must be a list of misconception ids or entries"]
    bank = bank if bank is not None else builtin_bank()
    known = bank.by_id()
    messages: list[str] = []
    for item in value:
        if isinstance(item, str):
            if item not in known:
                messages.append(f"unknown misconception id {item!r} in pitfalls")
        else:
            entry, message = parse_inline_entry(item, bank)
            if entry is None:
                messages.append(message)
    return messages


def entries_for(tags: Sequence[str], pitfalls: Any, bank: Bank) -> list[Misconception]:
    """What a card's answers are checked against: its pitfalls and the bank's entries for its tags.

    A card whose tags name no bank topic (a note from a vault) is checked against the whole bank.
    """
    chosen: dict[str, Misconception] = {}
    known = bank.by_id()
    for item in pitfalls if isinstance(pitfalls, list) else []:
        entry = known.get(item) if isinstance(item, str) else parse_inline_entry(item, bank)[0]
        if entry is not None:
            chosen.setdefault(entry.id, entry)
    wanted = {tag.casefold() for tag in tags} - GENERIC_TAGS
    topical = [entry for entry in bank.entries if wanted & {tag.casefold() for tag in entry.tags}]
    if not topical:
        bank_tags = {tag.casefold() for entry in bank.entries for tag in entry.tags}
        topical = list(bank.entries) if not wanted & bank_tags else []
    for entry in topical:
        chosen.setdefault(entry.id, entry)
    return list(chosen.values())


def recall_misconceptions(tags: Sequence[str], pitfalls: Any, answer: str, bank: Bank | None = None) -> list[Hit]:
    """The misconceptions a recall answer states, among a card's pitfalls and its topics' entries."""
    chosen = entries_for(tags, pitfalls, bank if bank is not None else builtin_bank())
    return find(answer, entries=chosen) if chosen and answer.strip() else []


# --------------------------------------------------------------------------- sentences


def _normalise(text: str) -> str:
    text = compatibility_form(text).replace("\u2019", "'")
    return _MARKUP.sub("", text).casefold()


def _language(text: str) -> str:
    return "ko" if _HANGUL.search(text) else "en"


def _clauses(text: str, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> list[tuple[int, int]]:
    clauses: list[tuple[int, int]] = []
    start = 0
    for match in breaks.finditer(text):
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(text)))
    return clauses


def _clause_of(clauses: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for begin, end in clauses:
        if begin <= position < end or (position == end == clauses[-1][1]):
            return begin, end
    return clauses[-1]


def _negated(text: str, clause: tuple[int, int], claim: re.Match[str], language: str) -> bool:
    """Whether a negation cue governs the claim.

    English: a cue shortly before the claim in its clause, or a negated auxiliary shortly after
    it ("env vars are not"). Korean: `안`/`못` just before it or a negative ending just after it.
    """
    before = text[max(clause[0], claim.start() - ENGLISH_NEGATION_REACH) : claim.end()]
    if _ENGLISH_NEGATION.search(before):
        return True
    after = text[claim.end() : min(clause[1], claim.end() + ENGLISH_NEGATION_REACH)]
    if _ENGLISH_NEGATED_AUXILIARY.search(after):
        return True
    if language != "ko":
        return False
    after = text[max(clause[0], claim.start() - 3) : min(clause[1], claim.end() + KOREAN_NEGATION_REACH)]
    return _KOREAN_NEGATION.search(after) is not None


def _positions(
    groups: Sequence[re.Pattern[str]], text: str, *, ordered: bool, begin: int, end: int
) -> list[int] | None:
    """Where each group first occurs in text[begin:end] (in order when `ordered`), or None."""
    found: list[int] = []
    position = begin
    for group in groups:
        match = group.search(text, position if ordered else begin, end)
        if match is None:
            return None
        found.append(match.start())
        if ordered:
            position = match.end()
    return found


_ITEM_SEPARATOR = re.compile(r"[,;，；·•]")


def _across_items(text: str, first: int, last: int) -> bool:
    """Whether text[first:last] runs over two or more list separators: it crosses items of a list.

    One comma joins two clauses of a claim ("When memory passes the limit, the container is
    killed"); two or more between the words mean they sit in different items of an enumeration.
    """
    return len(_ITEM_SEPARATOR.findall(text, first, last)) >= 2


def _could_match(pattern: Pattern, compact: str) -> bool:
    """Whether every `all` group has an alternative in the sentence's compact form (no regex run)."""
    for group in pattern.groups:
        fragments = _FRAGMENTS.get(group)
        if fragments is not None and not any(fragment in compact for fragment in fragments):
            return False
    return True


_DEFINITION_SEPARATOR = re.compile(r"\s*(?:[|·:：]|[-–—](?=\s))")
_COMPOSITION = re.compile(
    r"(?i)\bplus\b|\bon top of\b|\bin addition to\b|\bas well as\b|에 더해|에 더하여|뿐 아니라|와 함께|과 함께"
)
_PARENTHESIS = re.compile(r"\([^()]*\)|（[^（）]*）")


def _parallel_text(pattern: Pattern, text: str) -> str | None:
    """The sentence as a clause-by-clause comparison reads it, or None when it is no comparison.

    A definition line (`NodePort | a ClusterIP plus a port on every node`, `NodePort - ClusterIP에
    더해 …`) is about its first term throughout; a side named as a part (`plus`, `에 더해`) is not
    given the property; words in parentheses are asides, left out (blanked, positions kept).
    """
    start = len(text) - len(text.lstrip(" \t-*•>"))
    for group in (pattern.groups[0], *pattern.absent):
        match = group.match(text, start)
        if match is not None and _DEFINITION_SEPARATOR.match(text, match.end()):
            return None
    if _COMPOSITION.search(text):
        return None
    return _PARENTHESIS.sub(lambda found: " " * len(found.group()), text)


_IDENTITY_GAP = {
    "en": re.compile(r"(?i)\s+(?:is|are|means|acts as|works as)\s+(?:(?:a|an|the|just|only|really)\s+)*"),
    "ko": re.compile(r"(?:은|는|이|가)\s+"),
}
_IDENTITY_WORDS = {"en": 1, "ko": 4}  # words that may stand between the copula and the second side
_WORD = re.compile(r"\S+\s+")
_IDENTITY_END = {
    "en": re.compile(r"(?i)(?![\w-])(?!\s+(?:and|or|than|but)\b)"),
    "ko": re.compile(r"(?:이다|이고|이며|이지만|입니다|이에요|예요|이라서|이라|다)(?![가-힣])"),
}


def _identity_claim(pattern: Pattern, text: str, language: str, begin: int, end: int) -> re.Match[str] | None:
    """`A is (the) B` or `A는 … B이다` within text[begin:end]: the second side's match, or None."""
    first, second = pattern.groups
    languages = [language] if language in _IDENTITY_GAP else list(_IDENTITY_GAP)
    for subject in first.finditer(text, begin, end):
        for each in languages:
            spacing = _IDENTITY_GAP[each].match(text, subject.end(), end)
            if spacing is None:
                continue
            position = spacing.end()
            for _ in range(_IDENTITY_WORDS[each] + 1):
                named = second.match(text, position, end)
                if named is not None and _IDENTITY_END[each].match(text, named.end(), end):
                    return named
                word = _WORD.match(text, position, end)
                if word is None:
                    break
                position = word.end()
    return None


def _pattern_matches(pattern: Pattern, text: str, language: str, context: str) -> bool:
    if pattern.identity:
        parallel = _parallel_text(pattern, text)
        if parallel is None:
            return False
        for begin, end in _clauses(parallel, _PARALLEL_BREAK):
            claim = _identity_claim(pattern, parallel, language, begin, end)
            if claim is not None and not (pattern.negatable and _negated(parallel, (begin, end), claim, language)):
                return True
        return False
    if pattern.parallel:
        parallel = _parallel_text(pattern, text)
        if parallel is None:
            return False
        text = parallel
    clauses = _clauses(text, _PARALLEL_BREAK if pattern.parallel else _CLAUSE_BREAK)
    scopes = clauses if pattern.clause_scope else [(0, len(text))]
    for begin, end in scopes:
        if any(group.search(text, begin, end) for group in pattern.absent):
            continue
        found = _positions(pattern.groups, text, ordered=pattern.ordered, begin=begin, end=end)
        if found is None:
            continue
        if pattern.within_item and _across_items(text, min(found), max(found)):
            continue
        if pattern.context and not all(group.search(text) or group.search(context) for group in pattern.context):
            continue
        if not pattern.negatable:
            return True
        claim_group = pattern.groups[pattern.claim]
        for match in claim_group.finditer(text, begin, end):
            clause = _clause_of(clauses, match.start())
            if not _negated(text, clause, match, language):
                return True
    return False


def _gates(entries: Sequence[Misconception]) -> dict[str, list[tuple[int, Pattern, tuple[str, ...]]]]:
    """Per language, every pattern with its entry's position and the fragments of its first group."""
    gates: dict[str, list[tuple[int, Pattern, tuple[str, ...]]]] = {language: [] for language in LANGUAGES}
    for position, entry in enumerate(entries):
        for language, patterns in entry.matcher.patterns.items():
            for pattern in patterns:
                gates.setdefault(language, []).append((position, pattern, _FRAGMENTS.get(pattern.groups[0], ("",))))
    return gates


def _matching_entries(
    entries: Sequence[Misconception],
    gates: Sequence[tuple[int, Pattern, tuple[str, ...]]],
    text: str,
    language: str,
    context: str,
) -> list[Misconception]:
    """The entries one sentence states, in bank order: cheap fragment tests first, regexes after."""
    compact = _COMPACT.sub("", text)
    candidates: dict[int, list[Pattern]] = {}
    for position, pattern, first in gates:
        for fragment in first:
            if fragment in compact:
                if _could_match(pattern, compact):
                    candidates.setdefault(position, []).append(pattern)
                break
    matched: list[Misconception] = []
    for position in sorted(candidates):
        entry = entries[position]
        if entry.matcher.unless is not None and entry.matcher.unless.search(text):
            continue
        if any(_pattern_matches(pattern, text, language, context) for pattern in candidates[position]):
            matched.append(entry)
    return matched


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    line: int
    context: str


def _sentences_of(text: str) -> Iterator[_Sentence]:
    """Each sentence with its line and context: earlier sentences of its block, a table row's header."""
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    previous: list[str] = []
    header = ""
    line_number = 0
    for line_number, line_start in enumerate(line_starts, start=1):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        stripped = line.strip()
        if not stripped:
            previous, header = [], ""
            continue
        if stripped.startswith("|"):
            cells = " ".join(cell.strip() for cell in stripped.strip("|").split("|") if cell.strip())
            if set(stripped) <= set("|-: "):
                continue  # the separator row
            if not header:
                header = cells
                previous = []
                continue
        elif header:
            header = ""
        for begin, end in sentence_spans(line):
            sentence = line[begin:end]
            context = " ".join([header, *previous[-CONTEXT_SENTENCES:]])
            yield _Sentence(line_start + begin, line_start + end, line_number, _normalise(context))
            previous.append(sentence)


def find(text: str, language: str = "auto", entries: Iterable[Misconception] | None = None) -> list[Hit]:
    """The misconceptions `text` states, one hit per sentence and entry, in reading order.

    `language` is `auto` (Korean for sentences holding Hangul, else English), `en` or `ko`;
    `entries` defaults to the built-in bank.
    """
    chosen = tuple(entries) if entries is not None else builtin_bank().entries
    gates = _gates(chosen)
    hits: list[Hit] = []
    for sentence in _sentences_of(text):
        raw = text[sentence.start : sentence.end]
        if raw.rstrip("* _`)").endswith(("?", "？")):
            continue  # a question asserts nothing
        normalised = _normalise(raw)
        spoken = _language(normalised) if language == "auto" else language
        matched = _matching_entries(chosen, gates.get(spoken, []), normalised, spoken, sentence.context)
        if matched:
            said = " ".join(raw.strip().strip("|").split())  # a table row without its outer bars
            hits.extend(Hit(entry, said, sentence.start, sentence.end, sentence.line, spoken) for entry in matched)
    return hits
