"""Vietnamese text helpers shared by every app: search normalisation and money display.

People type with or without diacritics (DESIGN.md, "Vietnamese search"), so searchable text is kept in two
forms: as written (NFC, lower case) and folded (no tone or vowel marks, ``đ`` → ``d``). A query is folded the
same way, so "dang ky" finds "đăng ký" while "đăng ký" can still rank exact matches first.
"""

import re
import unicodedata
from decimal import Decimal

_SPACES = re.compile(r"\s+")


def normalize_vietnamese(text: str | None) -> str:
    """NFC, lower case, single spaces: the "as written" search form."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text)).lower()).strip()


def fold_vietnamese(text: str | None) -> str:
    """The folded search form: NFD, combining marks removed, ``đ``/``Đ`` → ``d``, lower case.

    ``fold_vietnamese("Thủ tục Đăng ký khai sinh") == "thu tuc dang ky khai sinh"``.
    """
    normal = normalize_vietnamese(text).replace("đ", "d")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", normal) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def search_forms(text: str | None) -> tuple[str, str]:
    """Both forms at once: (as written, folded)."""
    return normalize_vietnamese(text), fold_vietnamese(text)


def has_diacritics(text: str | None) -> bool:
    """True when folding changes the text, i.e. the user typed Vietnamese marks (rank exact matches first)."""
    normal = normalize_vietnamese(text)
    return normal != fold_vietnamese(normal)


def slugify_vietnamese(text: str | None, *, max_length: int = 40) -> str:
    """ASCII slug of a Vietnamese name ("Hộ tịch" → "ho-tich"), for readable codes."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold_vietnamese(text)).strip("-")
    return slug[:max_length].rstrip("-")


def format_vnd(amount: int | Decimal | None, *, empty: str = "") -> str:
    """Money as Vietnamese readers expect it: ``50000`` → ``"50.000 đ"`` (``None`` → ``empty``)."""
    if amount is None:
        return empty
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " đ"
