"""Card text (Markdown with Obsidian's embeds) as HTML for other tools, and HTML back as Markdown.

markdown-it-py (CommonMark, already installed with Rich) renders tables, code blocks highlighted
by Pygments (also Rich's), and images as `<img>`; raw HTML in a note is escaped, never passed on.
markdownify turns Anki's HTML fields back into Markdown on import.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

from ckaquiz.markup import WIKILINK

if TYPE_CHECKING:
    from markdown_it import MarkdownIt



@cache
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False, "highlight": _highlight, "breaks": True})
    renderer.enable("table")
    renderer.enable("strikethrough")
    return renderer


def _highlight(code: str, language: str, _attributes: str) -> str:
    """Code highlighted with inline styles (Anki shows no stylesheet of ours), or "" for plain."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    if not language:
        return ""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    # the "vs" style leaves white space uncoloured, so a command is not a span per space
    return str(highlight(code, lexer, HtmlFormatter(noclasses=True, nowrap=True, style="vs"))).rstrip("\n")


def _obsidian_to_commonmark(text: str) -> str:
    """Obsidian's `![[image.png]]` as an image, `[[Note|label]]` as its label, `==mark==` kept as text."""

    def commonmark(match: re.Match[str]) -> str:
        target = match.group("target")
        if match.group("embed"):
            return f"![{target}](<{target.strip()}>)"
        return match.group("alias") or target

    return WIKILINK.sub(commonmark, text)


def to_html(markdown: str) -> str:
    """A card's Markdown as HTML: one paragraph renders without the `<p>` wrapper."""
    rendered: str = _renderer().render(_obsidian_to_commonmark(markdown)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def code_html(text: str, language: str = "") -> str:
    """A command or manifest as a code block."""
    highlighted = _highlight(text, language, "") if language else ""
    return f"<pre><code>{highlighted or html.escape(text)}</code></pre>"


_CLOZE_OPEN = "\ue000"
_CLOZE_CLOSE = "\ue001"
_CLOZE_MARK = re.compile(f"{_CLOZE_OPEN}(\\d+){_CLOZE_OPEN}(.*?){_CLOZE_CLOSE}", re.DOTALL)


def cloze_html(text: str, deletions: list[tuple[int, int, int]]) -> str:
    """Markdown text with Anki cloze deletions `{{cN::...}}` at the given (start, end, number) spans."""
    pieces: list[str] = []
    position = 0
    for start, end, number in sorted(deletions):
        if start < position:
            continue
        pieces.extend([text[position:start], f"{_CLOZE_OPEN}{number}{_CLOZE_OPEN}", text[start:end], _CLOZE_CLOSE])
        position = end
    pieces.append(text[position:])
    rendered = to_html("".join(pieces))
    return _CLOZE_MARK.sub(lambda match: f"{{{{c{match.group(1)}::{match.group(2)}}}}}", rendered)


def to_markdown(fragment: str) -> str:
    """An HTML field (Anki's) as Markdown: line breaks, lists, code, emphasis and images kept."""
    from markdownify import markdownify

    markdown = markdownify(fragment, heading_style="ATX", bullets="-", code_language="", escape_misc=False)
    return re.sub(r"\n{3,}", "\n\n", str(markdown)).strip()
