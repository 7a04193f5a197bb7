"""The Content-Security-Policy is strict (no inline scripts, styles or event handlers): templates
must not rely on them, or the browser silently ignores them.

KNOWN_PENDING lists what the templates still contain today, each with its CSP-safe replacement
(see docs/security.md, "Content-Security-Policy"). This test fails on anything new; an entry that
has been fixed may simply be deleted from the list.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

INLINE = re.compile(
    r"""\sstyle\s*=\s*["']"""  # style attribute
    r"""|<style[\s>]"""  # style element
    r"""|\son[a-z]+\s*=\s*["']"""  # event handler attribute (onclick, onchange…)
    r"""|<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)"""  # inline script (JSON data blocks excepted below)
    r"""|javascript:"""
    r"""|\shx-on[:\-]""",  # htmx inline handlers (evaluated with Function())
    re.IGNORECASE,
)
DATA_BLOCK = re.compile(r"""<script[^>]*type=["']application/(ld\+)?json["']""", re.IGNORECASE)

# (template, what it contains) → how to replace it. Delete an entry once fixed.
KNOWN_PENDING: dict[tuple[str, str], str] = {}


def _kind(match: str) -> str:
    text = match.strip().lower()
    if text.startswith("<style"):
        return "<style"
    if text.startswith("<script"):
        return "<script"
    if text.startswith("style"):
        return "style"
    if text.startswith("hx-on"):
        return "hx-on"
    if text.startswith("javascript:"):
        return "javascript:"
    return text.split("=")[0].strip()


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += sorted(Path(settings.BASE_DIR, "phoihop").glob("*/templates"))
    return [d for d in dirs if d.is_dir()]


def _offenders() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for root in _template_dirs():
        for path in sorted(root.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for line_no, line in enumerate(text.splitlines(), 1):
                for match in INLINE.finditer(line):
                    if match.group(0).lower().startswith("<script") and DATA_BLOCK.search(line):
                        continue
                    key = (path.relative_to(root).as_posix(), _kind(match.group(0)))
                    found.setdefault(key, []).append(f"{path.relative_to(root)}:{line_no}: {line.strip()[:120]}")
    return found


def test_no_new_inline_scripts_styles_or_handlers_in_templates():
    new = {key: places for key, places in _offenders().items() if key not in KNOWN_PENDING}
    assert not new, (
        "These templates use inline scripts/styles/event handlers, which the Content-Security-Policy "
        "blocks (docs/security.md): use a class in static/css, or a data- attribute handled by a static "
        "script.\n" + "\n".join(line for places in new.values() for line in places)
    )


def test_the_scanner_sees_what_it_should():
    samples = ['<a href="#" onclick="x()">', '<div style="color:red">', "<style>p{}</style>", "<script>alert(1)</script>",
               '<a href="javascript:void(0)">', '<button hx-on:click="x()">']
    assert all(INLINE.search(s) for s in samples)
    for fine in ('<script src="/static/x.js" defer></script>', '<div class="styled" data-style="x">',
                 '<input data-onchange="x">'):
        assert not INLINE.search(fine), fine
