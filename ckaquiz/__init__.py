"""ckaquiz: spaced-repetition study sessions in the terminal, from Markdown and YAML decks."""

from ckaquiz.errors import CkaquizError, DeckError, StoreError
from ckaquiz.model import Card, CardKind, CardState, Deck, Problem, Rating, Review, Schedule

__version__ = "0.1.0"

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
