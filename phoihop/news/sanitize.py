"""Safe text for the public bulletin.

- `clean_body(html)`: the article body as a small, safe HTML subset (an allow-list applied by nh3,
  the Rust `ammonia` sanitiser). Word's paste leftovers (mso classes, <o:p>, conditional
  comments, style sheets, inline styles) go; scripts, event handlers, `javascript:` links, SVG and
  images from elsewhere never survive. Plain text (no tags) becomes paragraphs.
- `plain_text(value)`: titles, leads, author and source lines — every tag dropped (the content of
  <script>/<style> too), entities decoded, invisible characters removed, spaces collapsed, NFC.
  Templates and feeds escape it again on output.

Both are idempotent: cleaning clean text changes nothing, so the model cleans on every save.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i", "u",
    "blockquote", "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "xml", "title", "head", "noscript", "template", "iframe", "object", "embed",
    "svg", "math", "textarea", "select", "button",
})
# Only images uploaded through the bulletin (served by news:image) may appear in a body.
OWN_IMAGE = re.compile(r"^/tin-tuc/anh/\d{4}/[0-9a-f]{32}\.(?:jpg|png|webp)$")
MAX_BODY_CHARS = 200_000

_WORD_CONDITIONAL = re.compile(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->|<!\[if[^\]]*\]>|<!\[endif\]>", re.I | re.S)
_HEADING_UP = re.compile(r"<(/?)h1\b", re.I)
_HEADING_DOWN = re.compile(r"<(/?)h[56]\b", re.I)
_DIV = re.compile(r"<(/?)div\b", re.I)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
# Text is taken as HTML when it holds a real HTML (or Word) tag, a comment or an entity.
_HTML_HINT = re.compile(
    r"<\s*/?\s*(?:p|div|span|br|hr|b|i|u|s|strong|em|font|table|caption|tbody|thead|tfoot|tr|td|th|li|ul|ol"
    r"|h[1-6]|a|img|picture|source|video|audio|html|body|head|meta|link|base|style|script|xml|title|o:p"
    r"|[wvmo]:[a-z]+|sup|sub|svg|math|iframe|frame|object|embed|figure|figcaption|blockquote|form|input"
    r"|button|textarea|select|template|noscript|details|summary|section|article|pre|code)\b[^>]*>"
    r"|<!--|<!\[|&(?:[a-z]+|#\d+|#x[0-9a-f]+);",
    re.I,
)
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3|h4|li|blockquote|figcaption)>(?:\s|&nbsp;|\xa0|<br>)*</\1>")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_FIGURE_WITHOUT_IMG = re.compile(r"<figure>((?:(?!<img)(?!</figure>).)*)</figure>", re.S)
_FIGCAPTION = re.compile(r"</?figcaption>")
_ANCHOR_WITHOUT_HREF = re.compile(r'<a rel="[^"]*">(.*?)</a>', re.S)
_BLOCK = re.compile(r"<(?:p|h[2-4]|ul|ol|blockquote|figure|table)\b")
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if OWN_IMAGE.match(value.strip()) else None
    if attribute in {"width", "height", "colspan", "rowspan"}:
        return value if value.isdecimal() and len(value) <= 4 and 0 < int(value) <= 8000 else None
    if tag == "a" and attribute == "href":
        value = value.strip()
        # Relative links stay on this site; a scheme-relative //host link is refused.
        if value.startswith("//"):
            return None
        return value
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=set(URL_SCHEMES),
    set_tag_attribute_values={"img": {"loading": "lazy"}},
)
_STRIP_ALL = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style", "xml", "title", "head"},
                         attributes={}, strip_comments=True)


def _strip_invisible(text: str, keep_newlines: bool = False) -> str:
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r\xa0\u2007\u202f\u3000" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif unicodedata.category(ch) not in _INVISIBLE and ch != "\ufffd":
            out.append(ch)
    return "".join(out)


def plain_text(value: object) -> str:
    """Plain one-line text: no tags, no entities, no invisible characters, NFC."""
    if value is None:
        return ""
    text = str(value)
    for _ in range(3):  # entity-encoded markup (&lt;script&gt;) is markup too
        if not _HTML_HINT.search(text):
            break  # "<quốc phòng>" or "a < b" typed as text stays text (escaped on output)
        text = html.unescape(_STRIP_ALL.clean(_WORD_CONDITIONAL.sub(" ", text)))
    text = _strip_invisible(text)
    text = re.sub(r" {2,}", " ", text).strip()
    return unicodedata.normalize("NFC", text)


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip(), quote=False) for line in block.split("\n")) + "</p>"
        for block in blocks
    )


def clean_body(value: object) -> str:
    """The body as safe HTML from the allow-list (see module docstring)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))[:MAX_BODY_CHARS]
    if not _HTML_HINT.search(text):
        text = _paragraphs(text)
    text = _WORD_CONDITIONAL.sub("", text)
    text = _HEADING_UP.sub(r"<\1h2", text)
    text = _HEADING_DOWN.sub(r"<\1h4", text)
    text = _DIV.sub(r"<\1p", text)
    cleaned = _CLEANER.clean(text)
    cleaned = _strip_invisible(cleaned.replace("&nbsp;", " "), keep_newlines=True)
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    cleaned = _FIGURE_WITHOUT_IMG.sub(lambda m: "<p>" + _FIGCAPTION.sub("", m.group(1)) + "</p>", cleaned)
    cleaned = _ANCHOR_WITHOUT_HREF.sub(r"\1", cleaned)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _EMPTY_BLOCK.sub("", cleaned)
    cleaned = re.sub(r"[ ]{2,}", " ", cleaned)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    if cleaned and not _BLOCK.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def body_text(value: str) -> str:
    """The words of a clean body (for search, descriptions and feeds)."""
    if not value:
        return ""
    text = re.sub(r"</(p|h[2-4]|li|figcaption|tr|blockquote)>|<br>", " ", value)
    return plain_text(text)
