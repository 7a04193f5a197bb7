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


# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what the
# reader sees (U+202E then "gpj.exe" shows as "exe.jpg") and have no use in Vietnamese text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def without_invisible(text: str) -> str:
    """`text` without any format control (Unicode category Cf): the bidi controls above,
    zero-width space / non-joiner / joiner (U+200B–U+200D), the marks LRM / RLM (U+200E, U+200F),
    the word joiner (U+2060), the byte-order mark (U+FEFF), the soft hyphen, tag characters…
    For one-line names and titles, where an invisible character only serves to make two names
    look alike or to disguise one. Letters and combining marks (the Vietnamese tones) are not Cf."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def without_bidi_controls(text: str) -> str:
    """`text` without the bidi embeddings, overrides and isolates (for multi-line text, where
    zero-width joiners may be legitimate, e.g. in emoji sequences)."""
    if text.isascii():
        return text
    return text.translate(_BIDI_TABLE)


def clean_line(text: str | None) -> str | None:
    """A one-line name or title as stored: NFC, no format controls, no surrounding spaces."""
    if text is None:
        return None
    return without_invisible(unicodedata.normalize("NFC", text)).strip()


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


def number_text(text: str) -> str:
    """A number typed the Vietnamese way, in the form Decimal() reads: '1.234.567,5' → '1234567.5';
    '1.234' → '1234'; '12.5' → '12.5' (a lone point with other than three digits after it can
    only be a decimal point)."""
    if "," in text:
        return text.replace(".", "").replace(",", ".")
    parts = text.lstrip("-").split(".")
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and parts[0]:
        return text.replace(".", "")
    return text


def lower_first(text: str) -> str:
    """A name or label put inside a sentence: only its first letter lowered ("Học tập và làm theo
    … phong cách Hồ Chí Minh" → "học tập … Hồ Chí Minh"); never `.lower()` on the whole text,
    which would lower the proper nouns inside it."""
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
