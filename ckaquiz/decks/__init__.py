"""Reading deck files (YAML and Markdown) into model objects."""

from ckaquiz.decks.loader import find_deck_files, load_deck_file, load_decks

__all__ = ["find_deck_files", "load_deck_file", "load_decks"]
