"""Highlighted snippets over the stored text, built here rather than by the engine so that a folded query
("dat dai") marks the words as written ("đất đai") and so that every byte of document text is escaped: the
only markup in the result is our own ``<mark>``.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape

from egov.core.text import fold_vietnamese

SCAN_CHARS = 200_000  # snippets look at the beginning of very long texts only


def _fold_table() -> dict[int, str]:
    """One-character folds of ASCII upper case and the Latin blocks Vietnamese uses (C speed via translate)."""
    table = {}
    for cp in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        folded = fold_vietnamese(chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    return table


_FOLD = _fold_table()


def _fold_same_length(text: str) -> str:
    """Fold character by character so that positions in the folded text are positions in ``text``."""
    return text.translate(_FOLD)


def _prepare(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")[:SCAN_CHARS]).strip()


@lru_cache(maxsize=256)
def _pattern(terms: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)")


def _spans(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    if not text or not terms:
        return []
    return [(m.start(), m.end(), m.group(1)) for m in _pattern(frozenset(terms)).finditer(_fold_same_length(text))]


def _render(text: str, spans: list[tuple[int, int, str]], start: int, end: int) -> str:
    out, cursor = [], start
    for s, e, _term in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight_all(text: str, terms: set[str]) -> str:
    """The whole (short) text, escaped, with every query term marked: for summaries and titles."""
    text = _prepare(text)
    return _render(text, _spans(text, terms), 0, len(text))


def snippet(text: str, terms: set[str], *, max_chars: int = 240) -> str:
    """The window of ``text`` with the most distinct query terms, escaped and marked; "" without a match."""
    text = _prepare(text)
    spans = _spans(text, terms)
    if not spans:
        return ""
    best_start, best_score = 0, -1
    for i, (s, _e, _t) in enumerate(spans):
        start = max(0, s - max_chars // 4)
        distinct = {t for (s2, e2, t) in spans[i:] if e2 <= start + max_chars}
        if len(distinct) > best_score:
            best_start, best_score = start, len(distinct)
    start = best_start
    if start > 0:  # begin at a word boundary (the first mark is max_chars // 4 further on)
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + max_chars // 2 else end
    body = _render(text, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
