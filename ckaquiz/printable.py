"""The one output filter: text from notes, file names, settings or the learner, made safe to show.

Every such string passes `neutralise` before it reaches a terminal, and `escape_json_controls`
before it leaves as JSON. A terminal acts on escape sequences (retitle a window, write the
clipboard with OSC 52, clear the screen, move the cursor over a line), and on the one-byte C1
forms of the same introducers (U+009B is CSI, U+009D is OSC); a note must never be able to.

Both run in linear time: every quantifier is possessive and every class is disjoint from what
follows it, so no input can make the pattern backtrack.
"""

from __future__ import annotations

import re
import unicodedata

_SEQUENCES = re.compile(
    # CSI (ESC [ or the one-byte U+009B): parameters, intermediates, a final byte
    r"(?:\x1b\[|\x9b)[0-?]*+[ -/]*+[@-~]?"
    # OSC, DCS, SOS, PM, APC (7-bit or one-byte): a payload up to BEL or ST (ESC \ or U+009C)
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*+(?:\x07|\x1b\\|\x9c)?"
    # any other escape sequence (ESC c, ESC 7, ESC ( B ...)
    r"|\x1b[ -/]*+[0-~]?"
    # every other C0 control but tab and newline, DEL and C1, and bidirectional overrides
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_LAYOUT = re.compile(r"[\t\n]")
_JSON_CONTROLS = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str, *, single_line: bool = False) -> str:
    """`text` without escape sequences and control characters, in NFC form.

    Tabs and newlines stay for layouts that need them; with `single_line` (a file name or
    setting inside a one-line message) they become spaces. NFC joins decomposed Korean jamo
    and accents (as macOS file names give them) into the characters every terminal draws at
    the width Rich measures.
    """
    shown = _SEQUENCES.sub("", text)
    if single_line:
        shown = _LAYOUT.sub(" ", shown)
    return unicodedata.normalize("NFC", shown)


def escape_json_controls(json_text: str) -> str:
    """JSON text with DEL, C1 controls and bidi overrides (`ensure_ascii=False` leaves them raw) as `\\u0085`.

    Outside strings JSON text is ASCII without controls, so every match is inside a string,
    where the escape reads back as the same character: the document keeps its meaning.
    """
    if not _JSON_CONTROLS.search(json_text):
        return json_text
    return _JSON_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
