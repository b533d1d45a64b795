"""ckaquiz: spaced-repetition study sessions in the terminal, from Markdown and YAML decks.

The public names load on first use, so starting the command line (and `python -m ckaquiz`)
imports nothing before it can answer Ctrl-C quietly (see `ckaquiz.__main__`).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported for it: start-up stays at its shortest
__version__ = "0.1.0"

_EXPORTS = {
    "CkaquizError": "ckaquiz.errors",
    "DeckError": "ckaquiz.errors",
    "StoreError": "ckaquiz.errors",
    "Card": "ckaquiz.model",
    "CardKind": "ckaquiz.model",
    "CardState": "ckaquiz.model",
    "Deck": "ckaquiz.model",
    "Problem": "ckaquiz.model",
    "Rating": "ckaquiz.model",
    "Review": "ckaquiz.model",
    "Schedule": "ckaquiz.model",
}

if TYPE_CHECKING:
    from typing import Any

    from ckaquiz.errors import CkaquizError, DeckError, StoreError
    from ckaquiz.model import Card, CardKind, CardState, Deck, Problem, Rating, Review, Schedule

__all__ = [
    "Card",
    "CardKind",
    "CardState",
    "CkaquizError",
    "Deck",
    "DeckError",
    "Problem",
    "Rating",
    "Review",
    "Schedule",
    "StoreError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ckaquiz' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
