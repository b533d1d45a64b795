"""Obsidian and Markdown inline syntax, defined once: links, embeds, URLs, highlights and callouts.

Each pattern names its parts, so the modules that read the syntax for different ends (the
deck reader finds tag links and makes text readable, the recall scorer strips markup, the
HTML export renders) share one definition of what a link is. Bracket classes exclude `[` and
spans stay on one line, so no pattern backtracks quadratically on a run of brackets.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "CALLOUT",
    "HIGHLIGHT",
    "IMAGE_TEXT",
    "MARKDOWN_LINK",
    "URL",
    "WIKILINK",
    "readable",
    "wikilink_target",
    "without_images",
]

# `[[target]]`, `[[target|alias]]`, `![[embed.png]]`; inside a table the pipe is written `\|`.
WIKILINK = re.compile(r"(?P<embed>!?)\[\[(?P<target>[^\[\]|\n]{1,500}?)\\?(?:\|(?P<alias>[^\[\]\n]{0,200}))?\]\]")
# `[text](target)` and `![alt](image.png)`.
MARKDOWN_LINK = re.compile(r"(?P<embed>!?)\[(?P<text>[^\[\]\n]*)\]\((?P<target>[^()\n]*)\)")
# A bare URL, also in CommonMark's autolink brackets `<https://...>`.
URL = re.compile(r"<?https?://[^\s<>]+>?")
# `==highlighted==`.
HIGHLIGHT = re.compile(r"==(?=\S)(?P<text>[^=\n]{1,2000}?)(?<=\S)==")
# A callout's first line: `> [!note] Title`, `> [!tip]- Folded`, `> [!sr|card-metadata]`;
# the quote marker is optional so that lines already unquoted match too.
CALLOUT = re.compile(
    r"^(?P<quote>[ \t]*>[ \t]*)?\[!(?P<kind>[\w-]+)(?:\|[^\]\n]*)?\][+-]?[ \t]*(?P<title>.*)$", re.MULTILINE
)
# What `readable` writes for an embedded image: `[image: diagram.png]`.
IMAGE_TEXT = re.compile(r"\[image: [^\]\n]*\]")


def wikilink_target(match: re.Match[str]) -> str:
    """The note a wiki link points to, without its heading or block part."""
    return match.group("target").split("#")[0].strip()


def readable(text: str) -> str:
    """Obsidian syntax as plain reading text: link text for links, `[image: name]` for images."""
    if "[" not in text:
        return text  # both kinds of link start with `[`

    def wikilink(match: re.Match[str]) -> str:
        target = match.group("target").strip()
        if match.group("embed"):
            return f"[image: {Path(target).name}]"
        alias = (match.group("alias") or "").strip()
        return alias or wikilink_target(match).split("/")[-1].strip() or target

    def markdown_link(match: re.Match[str]) -> str:
        if match.group("embed"):
            name = Path(match.group("target")).name or match.group("text")
            return f"[image: {name.replace('%20', ' ')}]"
        return match.group("text") or match.group("target")

    return MARKDOWN_LINK.sub(markdown_link, WIKILINK.sub(wikilink, text))


def without_images(text: str) -> str:
    """Readable text without the `[image: name]` of its embedded images: nothing anyone says aloud."""
    if "[image: " not in text:
        return text
    return " ".join(kept for part in IMAGE_TEXT.split(text) if (kept := part.strip(" \t")))
