"""Text helpers shared by search and storage."""

from unidecode import unidecode


def fold(text: str) -> str:
    """Lower-case ASCII without Vietnamese diacritics, so "duong" finds "đường"."""
    return " ".join(unidecode(text or "").lower().split())
