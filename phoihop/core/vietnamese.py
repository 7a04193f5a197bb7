"""Vietnamese text: NFC normalisation, diacritic-free folding for search, collation key.

The collation follows ICU/CLDR `vi`: letters in the Vietnamese alphabet order
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) compared first over the whole
string; tones compared second (none < huyền < hỏi < ngã < sắc < nặng); case last
(lower before upper).
"""

from __future__ import annotations

import re
import unicodedata

# Combining tone marks in the CLDR `vi` secondary order (grave, hook, tilde, acute, dot below).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Vowel-quality marks that make a new letter: breve (ă), circumflex (â ê ô), horn (ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str | None) -> str | None:
    """Return `text` in Unicode NFC (what the database stores)."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, strip every diacritic (đ → d), collapse spaces: the search form of text."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split text into (base letter incl. quality marks, tone, is_upper) triples."""
    out: list[tuple[str, int, bool]] = []
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), flags=re.S):
        base = cluster[0]
        tone = 0
        quality = ""
        for mark in cluster[1:]:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                quality += mark
        letter = unicodedata.normalize("NFC", (base + quality)).lower()
        if base in "đĐ":
            letter = "đ"
        out.append((letter, tone, base.isupper()))
    return out


def sort_key(text: str | None) -> tuple:
    """A key that sorts strings like ICU's `vi` collation (primary, then tones, then case)."""
    letters = _letters(text or "")
    primary = tuple(_primary_weight(ch) for ch, _tone, _up in letters)
    secondary = tuple(tone for _ch, tone, _up in letters)
    tertiary = tuple(up for _ch, _tone, up in letters)
    return (primary, secondary, tertiary)


def _primary_weight(ch: str) -> tuple[int, int]:
    # ICU order: spaces and punctuation, then digits, then letters, then anything else.
    if ch in _PRIMARY:
        return (2, _PRIMARY[ch])
    if ch.isdigit():
        return (1, ord(ch))
    if ch.isspace() or not ch.isalnum():
        return (0, ord(ch))
    return (3, ord(ch))


def compare(a: str | None, b: str | None) -> int:
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def sorted_vi(items, key=lambda x: x):
    """Sort any iterable in Vietnamese order of `key(item)`."""
    return sorted(items, key=lambda item: sort_key(key(item)))
