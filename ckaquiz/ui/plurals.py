"""Counts with their nouns, for every message that reports one; imports nothing, so start-up stays light."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`1 card`, `2 cards`: a count with its noun (one that takes an s)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
