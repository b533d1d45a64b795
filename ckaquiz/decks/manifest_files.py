"""Kubernetes manifest files in a vault or deck folder: each object is a manifest card.

A `.yaml` file whose documents are Kubernetes objects (each with `apiVersion` and `kind`) is
study material, not a broken deck: every object becomes a `manifest` card asking to write it.
The prompt is the comment right above the object (`# A pod that keeps its logs`), or else its
kind and `metadata.name` and the file's name. Multi-document files are cut at their `---`
lines and each document is composed alone, with the limits of YAML decks
(`yaml_nodes.safe_compose`); at most MAX_DOCUMENTS documents are read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml

from ckaquiz.decks.entries import build_entry_cards
from ckaquiz.decks.entry_fields import EntryContext
from ckaquiz.decks.filenames import file_name, split_suffix
from ckaquiz.decks.identity import duplicate_id_problems
from ckaquiz.model import Card, Deck, Problem
from ckaquiz.yaml_nodes import construct, safe_compose

MAX_DOCUMENTS = 1_000
"""Documents of one manifest file: a cluster dump may hold hundreds, no study file more."""


@dataclass
class _Document:
    first: int
    """0-based index of the document's first line in the file."""
    lines: list[str]


def _top_level_key(text: str, key: str) -> bool:
    return text.startswith(key) or f"\n{key}" in text


def is_manifest_file(text: str) -> bool:
    """Whether a YAML file reads as Kubernetes objects: top-level `apiVersion:` and `kind:`, no deck keys."""
    if not (_top_level_key(text, "apiVersion:") and _top_level_key(text, "kind:")):
        return False
    return not (_top_level_key(text, "cards:") or _top_level_key(text, "deck:"))


def _documents(text: str) -> list[_Document]:
    """The file cut into documents at `---` lines (a `...` line ends one), line by line."""
    documents = [_Document(0, [])]
    for index, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        if line.startswith("---") and line[3:4] in ("", " ", "\t"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                documents.append(_Document(index, [rest]))  # `--- {a: 1}`: the document starts on its marker
            else:
                documents.append(_Document(index + 1, []))
            continue
        if line.startswith("...") and not line[3:].strip():
            documents.append(_Document(index + 1, []))
            continue
        documents[-1].lines.append(line)
    return [document for document in documents if any(_content(line) for line in document.lines)]


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def parse_manifest_file(text: str, path: str, *, deck_name: str | None = None) -> Deck:
    """One manifest card per Kubernetes object of the file; a document that is no object is a problem."""
    base = file_name(path)
    name = deck_name or split_suffix(base)[0]
    documents = _documents(text.removeprefix("\ufeff"))
    problems: list[Problem] = []
    if len(documents) > MAX_DOCUMENTS:
        problems.append(Problem(path, 1, f"only the first {MAX_DOCUMENTS} of {len(documents)} YAML documents are read"))
        documents = documents[:MAX_DOCUMENTS]
    context = EntryContext(deck=name, path=path, scope=base)
    cards: list[Card] = []
    for document in documents:
        made, found = _document_cards(document, base, context)
        cards.extend(made)
        problems.extend(found)
    problems.extend(duplicate_id_problems(cards))
    return Deck(name=name, path=path, cards=tuple(cards), problems=tuple(problems))


def _document_cards(document: _Document, base: str, context: EntryContext) -> tuple[list[Card], list[Problem]]:
    lines = document.lines
    start = next(index for index, line in enumerate(lines) if _content(line))
    comments = [line.strip().lstrip("#").strip() for line in lines[:start] if line.strip().startswith("#")]
    body = "\n".join(lines[start:]).rstrip()
    line_number = document.first + start + 1
    node, problem = safe_compose(body, context.path)
    if problem is not None:
        return [], [replace(problem, line=problem.line + line_number - 1)]
    value: Any = construct(node) if node is not None else None
    if not isinstance(node, yaml.MappingNode) or not isinstance(value, dict):
        return [], [Problem(context.path, line_number, "a YAML document here is not a Kubernetes object")]
    kind, api_version = value.get("kind"), value.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api_version, str) or not kind or not api_version:
        message = "a YAML document without apiVersion and kind in a file of Kubernetes objects"
        return [], [Problem(context.path, line_number, message)]
    prompt = " ".join(text for text in comments if text)
    if not prompt:
        metadata = value.get("metadata")
        object_name = metadata.get("name") if isinstance(metadata, dict) else None
        named = f" `{object_name}`" if isinstance(object_name, str | int) and str(object_name) else ""
        prompt = f"Write the {kind}{named} ({base})"
    entry = {"kind": "manifest", "question": prompt, "answer": body}
    return build_entry_cards(entry, context, line=line_number)
