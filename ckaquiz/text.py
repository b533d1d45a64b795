"""The normalisation rules for comparing text, defined once.

Two rules, for two questions:

* `fold`: are these the same name? Canonical composition (NFC) and case folding, so a tag, a deck
  name or a card's content typed on another keyboard or decomposed by macOS compares equal; the
  characters themselves are kept (`①` stays `①`). `fold_spaces` also evens out runs of whitespace.
* `compatibility_form`: is this the answer? Compatibility composition (NFKC, which is composed as
  NFC is): full-width letters, ligatures and circled digits read as the plain ones a learner means.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Text in NFC and case-folded: the form names and tags are compared in."""
    return (text if text.isascii() else unicodedata.normalize("NFC", text)).casefold()  # ASCII is NFC already


def fold_spaces(text: str) -> str:
    """`fold(text)` with each run of whitespace one space and none at the ends."""
    # str.split() splits on exactly the characters the regex `\s` matches, and drops the ends
    return " ".join(fold(text).split())


def compatibility_form(text: str) -> str:
    """Text in NFKC: the form answers are compared in."""
    return unicodedata.normalize("NFKC", text)
