"""How Vietnamese text becomes index terms, shared by indexing and querying so both agree exactly.

Vietnamese writes one syllable per space-separated word, and most words are two syllables: "hộ tịch",
"đất đai". Every text is indexed as syllables and as syllable bigrams ("hộ_tịch"), each as written
(lower-cased NFC) and folded (no marks, đ → d). A two-syllable phrase is then one posting list (DESIGN.md,
"Vietnamese search"). Document numbers such as ``123/QĐ-UBND`` get terms of their own (``notation_terms``).
"""

import re
from functools import lru_cache

from egov.core.text import fold_vietnamese, has_diacritics, normalize_vietnamese

_SYLLABLE = re.compile(r"\w+")
# A number/notation in free text: letters or digits joined by "/" or "-" ("123/QĐ-UBND", "QĐ-UBND", "15/2024").
NOTATION = re.compile(r"\w+(?:[/\-.]\w+)+")
MAX_TERM_CHARS = 60  # longer "words" (base64 blobs, OCR noise) are dropped rather than bloating the index


def syllables(text: str | None) -> list[str]:
    """Syllables of ``text`` as written, lower-cased NFC, punctuation dropped."""
    return [s for s in _SYLLABLE.findall(normalize_vietnamese(text)) if len(s) <= MAX_TERM_CHARS]


@lru_cache(maxsize=200_000)
def _fold_syllable(syllable: str) -> str:
    return fold_vietnamese(syllable)


def fold(syllable_list: list[str]) -> list[str]:
    """Folded syllables; cached, since a language has a few thousand syllables and texts repeat them."""
    return [_fold_syllable(s) for s in syllable_list]


def bigrams(syllable_list: list[str]) -> list[str]:
    """Consecutive pairs joined by "_": position i of the bigram stream is the pair starting at syllable i."""
    return [f"{a}_{b}" for a, b in zip(syllable_list, syllable_list[1:], strict=False)]


def text_forms(text: str | None) -> dict[str, str]:
    """The four whitespace-separated token streams of one text: e (as written), f (folded), be, bf (bigrams)."""
    exact = syllables(text)
    folded = fold(exact)
    return {"e": " ".join(exact), "f": " ".join(folded), "be": " ".join(bigrams(exact)),
            "bf": " ".join(bigrams(folded))}


def notation_terms(value: str | None) -> list[str]:
    """Terms of a number/notation, as written and folded: the whole, the parts around "/", and around "-".

    ``123/QĐ-UBND`` → ``123/qđ-ubnd``, ``123``, ``qđ-ubnd``, ``qđ``, ``ubnd`` and the folded ``123/qd-ubnd``,
    ``qd-ubnd``, ``qd``, so each of "123/QĐ-UBND", "123/qd-ubnd" and "QĐ-UBND" finds the document.
    """
    whole = normalize_vietnamese(value).replace(" ", "")
    if not whole:
        return []
    terms = [whole]
    for part in whole.split("/"):
        terms.append(part)
        terms.extend(part.split("-"))
    terms += [fold_vietnamese(t) for t in terms]
    return list(dict.fromkeys(t for t in terms if t))


class ParsedQuery:
    """A user's query split into notation terms and text syllables (as written and folded)."""

    def __init__(self, text: str | None):
        normal = normalize_vietnamese(text)[:500]
        self.text = normal
        self.notations = [n for n in NOTATION.findall(normal) if "/" in n or re.search(r"\d", n) or "-" in n]
        rest = NOTATION.sub(" ", normal) if self.notations else normal
        self.exact = syllables(rest)[:24]
        self.folded = fold(self.exact)
        self.diacritics = has_diacritics(normal)

    @property
    def empty(self) -> bool:
        return not self.notations and not self.exact

    def highlight_terms(self) -> set[str]:
        """Folded syllables to mark in snippets (notation parts included)."""
        terms = set(self.folded)
        for notation in self.notations:
            terms.update(fold(syllables(notation)))
        return terms
