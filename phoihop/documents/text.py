"""Clean text before it goes into a document; say what could not be cleaned.

Narratives come from text areas that people fill by pasting from Word, web pages and old files
typed in TCVN3 (ABC) or VNI fonts. `clean()` returns text that is safe to put in a .docx (NFC,
no control or zero-width characters, no HTML tags, no Word style sheet leftovers) and flags text
that is still unusable (legacy 8-bit Vietnamese, heavy garbling) so the writer can print a
visible gap instead of garbage.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

LEGACY = "legacy"

# Characters of U+00A1–U+00FF that Unicode Vietnamese text uses. Any other one is a sign of
# TCVN3/VNI text read as Latin-1 ("Céng hoµ x· héi", "Coäng hoøa"): a symbol (µ · ¸ ¶ § ¨ ª …)
# counts double, a foreign letter (ä ø û ç …, also found in names like Müller) counts once.
_VN_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ°±×÷«»²³")
# Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the precomposed tone letters).
_VN_UNICODE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9]")
# UTF-8 read as Windows-1252: "Cá»™ng hÃ²a" (often repairable).
_MOJIBAKE = re.compile("Ã.|Ä[‘]|á[º»]|Æ[°¡]")

_HTML_HINT = re.compile(
    r"</?(?:p|div|span|br|b|i|u|s|strong|em|font|table|tbody|thead|tr|td|th|li|ul|ol"
    r"|h[1-6]|a|img|html|body|head|meta|style|script|xml|o:p|w:[a-z]+|v:[a-z]+|sup|sub)\b[^>]*>"
    r"|<!--|&(?:nbsp|amp|lt|gt|quot|#\d+);",
    re.I,
)
_HTML_DROP = re.compile(
    r"<!--.*?-->|<(style|script|head|xml|title)\b[^>]*>.*?</\1\s*>", re.I | re.S
)
_HTML_LINE = re.compile(r"<br\s*/?>|</\s*(?:li|tr)\s*>", re.I)
_HTML_PARAGRAPH = re.compile(r"</\s*(?:p|div|h[1-6]|table|ul|ol)\s*>", re.I)
_HTML_CELL = re.compile(r"</\s*t[dh]\s*>", re.I)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
# What Word leaves in a plain text field when its HTML is flattened badly.
_WORD_PREAMBLE = re.compile(
    r"Normal\s+0\s+(?:\d+\s+)?(?:(?:false|true)\s+){2,}(?:(?:[A-Z]{2}(?:-[A-Z]{2})?|X-NONE)\s+)*"
    r"(?:MicrosoftInternetExplorer4\s*)?"
)
_CSS_BLOCK = re.compile(r"(?:/\*.*?\*/\s*)?[\w.#:\-, ]*\{[^{}]*(?:mso-|font-|margin)[^{}]*\}", re.S)

_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n",
                "\u2029": "\n", "\x85": "\n"}
_SPACES = {"\t": " ", "\xa0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " "}


@dataclass(frozen=True)
class Cleaned:
    text: str
    problem: str | None = None  # LEGACY when the text looks like TCVN3/VNI or is garbled

    @property
    def ok(self) -> bool:
        return self.problem is None


def clean(value: object) -> Cleaned:
    """Clean one text for printing. Never raises; None or a non-string value becomes text.

    Text that looks like TCVN3/VNI (or is garbled) comes back empty with `problem=LEGACY`.
    Blank lines are dropped: each remaining line is one paragraph.
    """
    text = _repair(value)
    if looks_legacy(text):
        return Cleaned("", LEGACY)
    return Cleaned(_tidy(text))


def clean_text(value: object, *, keep_blank_lines: bool = True) -> str:
    """Clean one text for storing (what a user typed or pasted into a form).

    Like `clean`, but nothing the user typed is thrown away: text that looks like TCVN3/VNI is
    kept (less control characters) so that it can still be converted, and the document writer
    marks it when printing. Paragraph breaks (blank lines) are kept unless told otherwise.
    """
    text = _repair(value)
    if looks_legacy(text):
        return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if not keep_blank_lines:
        return _tidy(text)
    blocks = [_tidy(block) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(block for block in blocks if block)


def _repair(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    if _HTML_HINT.search(text):
        text = strip_html(text)
    if "mso-" in text or "MicrosoftInternetExplorer4" in text:
        text = _CSS_BLOCK.sub(" ", _WORD_PREAMBLE.sub(" ", text))
    text = unicodedata.normalize("NFC", text)
    if _MOJIBAKE.search(text):
        text = _repair_mojibake(text)
    return text


def _tidy(text: str) -> str:
    text = _strip_invisible(text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def strip_html(text: str) -> str:
    """Keep the words of pasted HTML, drop tags, comments, style sheets; decode entities."""
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_PARAGRAPH.sub("\n\n", text)
    text = _HTML_LINE.sub("\n", text)
    text = _HTML_CELL.sub(" ", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text)


def looks_legacy(text: str) -> bool:
    """True for TCVN3 (ABC) or VNI text read as Unicode, or text garbled beyond use."""
    if text.count("\ufffd") >= 3:
        return True
    score = 0
    for ch in text:
        if "\xa1" <= ch <= "\xff" and ch not in _VN_LATIN1:
            score += 1 if ch.isalpha() and ch not in "ªµº" else 2
    if score < 3:
        return False
    return score >= len(_VN_UNICODE.findall(text))


def _repair_mojibake(text: str) -> str:
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    repaired = unicodedata.normalize("NFC", repaired)
    if len(_VN_UNICODE.findall(repaired)) > len(_VN_UNICODE.findall(text)):
        return repaired
    return text


def _strip_invisible(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        if ch in _SPACES:
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        # Cc control, Cf format (zero-width, soft hyphen, bidi marks, BOM), Co private use
        # (Word symbol-font bullets), Cs surrogates, Cn unassigned/non-characters.
        if category in {"Cc", "Cf", "Co", "Cs", "Cn"} or ch == "\ufffd":
            continue
        if category == "Zs":
            out.append(" ")
            continue
        out.append(ch)
    return "".join(out)
