"""What the note reader makes of the note fixtures (and the seed note, when it is beside the project).

For each folder, read exactly as `ckaquiz import` reads a vault: the cards by kind, the most key
points on one card, recall cards named by a sentence cut short (`…`), and the share of key points
that are markup or lead-ins (an image, a link, an HTML tag, bold, a callout title, a rule, a bare
link, a template field, a line ending in `:` or a sentence only announcing the list below it).
The target for the last two is 0.

Run it with `python bench/note_cards.py [FOLDER...]` from the project folder.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ckaquiz.decks.topics import LEAD_IN_PHRASE, is_noise_line  # noqa: E402
from ckaquiz.importing import source_decks, transient_source  # noqa: E402
from ckaquiz.model import CardKind  # noqa: E402

FOLDERS = (
    ROOT / "tests" / "fixtures" / "notes_topics",
    ROOT / "tests" / "fixtures" / "notes_tasks",
    ROOT / "tests" / "fixtures" / "notes_manifests",
    ROOT / "tests" / "fixtures" / "notes_release" / "daily",
    ROOT / "tests" / "fixtures" / "vault",
    ROOT.parent / "shared" / "seed",
)
LEADING = re.compile(r"^(?:\[!|-{3,}$|https?://\S+$|>)|:\s*$")
"""A callout title, a rule, a bare link, a quote marker, or a line that ends announcing what follows."""
ANYWHERE = re.compile(r"\[image: |!?\[\[|\]\(|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|\*\*|\{\{|<%|%%|==\S")
"""Markup left anywhere in a point: an image, a wiki or Markdown link, an HTML tag, bold, a template, a comment."""


def is_markup_or_lead_in(point: str) -> bool:
    """Whether a key point is something nobody says from a blank page (code in backticks is left out)."""
    text = re.sub(r"`[^`]*`", "`code`", point.strip())
    return bool(LEADING.search(text) or ANYWHERE.search(text) or LEAD_IN_PHRASE.search(text)) or is_noise_line(text)


def measure(folder: Path) -> dict[str, object]:
    problems: list[str] = []
    decks = source_decks(transient_source(folder), problems=problems)
    cards = [card for deck in decks for card in deck.cards]
    points = [point for card in cards for point in card.key_points]
    noisy = [point for point in points if is_markup_or_lead_in(point)]
    return {
        "kinds": Counter(card.kind.value for card in cards),
        "largest": max((len(card.key_points) for card in cards), default=0),
        "cut_prompts": sum(1 for card in cards if card.kind is CardKind.RECALL and "…" in card.prompt),
        "points": len(points),
        "noisy": noisy,
    }


def main(arguments: list[str]) -> int:
    folders = [Path(argument) for argument in arguments] or [folder for folder in FOLDERS if folder.is_dir()]
    print(f"{'folder':<40} {'cards by kind':<36} {'max pts':>7} {'cut …':>5} {'markup/lead-in':>16}")
    for folder in folders:
        figures = measure(folder)
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(figures["kinds"].items()))  # type: ignore[attr-defined]
        noisy: list[str] = figures["noisy"]  # type: ignore[assignment]
        total = int(figures["points"])  # type: ignore[call-overload]
        share = f"{len(noisy)}/{total} ({len(noisy) / total:.1%})" if total else "0/0"
        shown = os.path.relpath(folder.resolve(), ROOT)
        print(f"{shown:<40} {kinds:<36} {figures['largest']:>7} {figures['cut_prompts']:>5} {share:>16}")
        for point in noisy:
            print(f"    {point[:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
