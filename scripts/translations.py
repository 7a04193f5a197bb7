#!/usr/bin/env python3
"""The translation memory and the JSON workflow of the English catalogue.

Extraction and compilation are Django's: `phoihop makemessages -l en` (the project's
ignores and --no-obsolete built in, phoihop/core/management/commands/makemessages.py) and
`phoihop compilemessages -l en`; `make messages` runs both around `refill`. This script does
only what Django lacks.

The UI source language is Vietnamese (msgids are Vietnamese); English is the
second language. Translations live in two places:

* ``locale/en/LC_MESSAGES/django.po`` — the catalogue Django reads (compiled to
  ``django.mo``);
* ``locale/en/memory.json`` — a translation memory keyed by (msgctxt, msgid,
  msgid_plural). ``makemessages --no-obsolete`` drops entries whose msgid
  disappeared from the source; the memory brings their translation back when a
  string returns, and it is the file to review in a pull request.

Usage (from the repository root; uses only the standard library and GNU gettext):

    make messages                                        # makemessages, refill, compilemessages
    .venv/bin/python scripts/translations.py refill      # fill from memory + status (make messages does it)
    .venv/bin/python scripts/translations.py status      # untranslated / fuzzy entries
    .venv/bin/python scripts/translations.py todo [-o todo.json]   # the same as JSON to translate
    .venv/bin/python scripts/translations.py apply done.json       # write translations (po + memory)
    .venv/bin/python scripts/translations.py harvest     # copy every finished po entry into memory

``refill`` never accepts msgmerge's fuzzy guesses: a fuzzy entry stays listed
until a translator writes it with ``apply`` (or edits the po and removes the
``#, fuzzy`` flag, then runs ``harvest``). After ``apply``, ``make messages``
again compiles django.mo.

JSON for ``apply`` is a list of objects:
    {"msgid": "...", "msgctxt": "..." (optional), "msgid_plural": "..." (optional),
     "msgstr": "..."  or  "msgstr_plural": ["one", "other"]}
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MEMORY = LOCALE / "en" / "memory.json"

HEADER_FIELDS = {
    "Project-Id-Version": "phoihop",
    "Language-Team": "English",
    "Language": "en",
    "Last-Translator": "phoihop translators",
}


# --------------------------------------------------------------------------- PO parsing

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(s: str) -> str:
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    body = s[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    out = out.replace("\n", "\\n")
    return f'"{out}"'


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # '#:', '#.', '# ', '#|' lines (verbatim)
    flags: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return json.dumps([self.msgctxt, self.msgid, self.msgid_plural], ensure_ascii=False)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)

    @property
    def references(self) -> list[str]:
        refs = []
        for c in self.comments:
            if c.startswith("#:"):
                refs.extend(c[2:].split())
        return refs

    def value(self):
        if self.msgid_plural is not None:
            return [self.msgstr_plural.get(i, "") for i in sorted(self.msgstr_plural)]
        return self.msgstr

    def set_value(self, value) -> None:
        if self.msgid_plural is not None:
            if isinstance(value, str):
                value = [value, value]
            self.msgstr_plural = dict(enumerate(value))
        else:
            if not isinstance(value, str):
                raise ValueError(f"singular entry given plural forms: {self.msgid!r}")
            self.msgstr = value
        if "fuzzy" in self.flags:
            self.flags.remove("fuzzy")
        # msgmerge's "previous msgid" comments only make sense on fuzzy entries
        self.comments = [c for c in self.comments if not c.startswith("#|")]

    def render(self) -> str:
        lines = list(c for c in self.comments if not c.startswith("#,"))
        # keep comment order: translator/extracted, references, then flags, then previous
        prev = [c for c in lines if c.startswith("#|")]
        lines = [c for c in lines if not c.startswith("#|")]
        if self.flags:
            lines.append("#, " + ", ".join(self.flags))
        lines.extend(prev)
        if self.msgctxt is not None:
            lines.append("msgctxt " + _quote(self.msgctxt))
        lines.append("msgid " + _quote(self.msgid))
        if self.msgid_plural is not None:
            lines.append("msgid_plural " + _quote(self.msgid_plural))
            for i in sorted(self.msgstr_plural) or [0, 1]:
                lines.append(f"msgstr[{i}] " + _quote(self.msgstr_plural.get(i, "")))
        else:
            lines.append("msgstr " + _quote(self.msgstr))
        if self.obsolete:
            lines = ["#~" + ln[1:] if ln.startswith("#|") else ln if ln.startswith("#") else "#~ " + ln
                     for ln in lines]
        return "\n".join(lines) + "\n"


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    cur = Entry()
    last: tuple[str, int | None] | None = None
    started = False

    def flush():
        nonlocal cur, started, last
        if started:
            entries.append(cur)
        cur, started, last = Entry(), False, None

    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            flush()
            continue
        if line.startswith("#~"):
            if started and not cur.obsolete:
                flush()
            cur.obsolete = True
            rest = line[2:]
            if rest.startswith("|"):  # previous msgid of an obsolete entry
                cur.comments.append("#" + rest)
                continue
            line = rest.lstrip()
            if not line:
                continue
        if line.startswith("#,"):
            if started:
                flush()
            cur.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            if started and not line.startswith("#|"):
                flush()
            cur.comments.append(line)
            continue
        m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$", line)
        if m:
            kw, idx, val = m.group(1), m.group(2), _unquote(m.group(3))
            if kw in ("msgctxt", "msgid") and started and (
                cur.msgstr or cur.msgstr_plural or last and last[0].startswith("msgstr")
            ):
                flush()
            started = True
            if kw == "msgctxt":
                cur.msgctxt = val
                last = ("msgctxt", None)
            elif kw == "msgid":
                cur.msgid = val
                last = ("msgid", None)
            elif kw == "msgid_plural":
                cur.msgid_plural = val
                last = ("msgid_plural", None)
            elif idx is not None:
                cur.msgstr_plural[int(idx)] = val
                last = ("msgstr_plural", int(idx))
            else:
                cur.msgstr = val
                last = ("msgstr", None)
            continue
        if line.strip().startswith('"') and last:
            val = _unquote(line)
            kind, idx = last
            if kind == "msgstr_plural":
                cur.msgstr_plural[idx] += val
            else:
                setattr(cur, kind, getattr(cur, kind) + val)
            continue
        raise ValueError(f"cannot parse po line: {raw!r}")
    flush()
    return entries


def load(path: Path = PO) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def save(entries: list[Entry], path: Path = PO) -> None:
    path.write_text("\n".join(e.render() for e in entries), encoding="utf-8")
    # let GNU gettext wrap lines the way makemessages/msgmerge do, so diffs stay small
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


def fix_header(entries: list[Entry], touched: bool = False) -> None:
    for e in entries:
        if not e.is_header:
            continue
        lines = e.msgstr.split("\n")
        out = []
        for ln in lines:
            name = ln.split(":", 1)[0]
            if name in HEADER_FIELDS:
                ln = f"{name}: {HEADER_FIELDS[name]}"
            elif name == "PO-Revision-Date" and touched:
                ln = f"{name}: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M%z')}"
            out.append(ln)
        e.msgstr = "\n".join(out)
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        e.comments = [
            "# English translation of Phối Hợp (phoihop). Source language: Vietnamese.",
            "# Update with: make messages (see locale/README.md)",
            "#",
        ]


# --------------------------------------------------------------------------- memory

def load_memory() -> dict[str, object]:
    if MEMORY.exists():
        return json.loads(MEMORY.read_text(encoding="utf-8"))
    return {}


def save_memory(memory: dict[str, object]) -> None:
    MEMORY.parent.mkdir(parents=True, exist_ok=True)
    MEMORY.write_text(
        json.dumps(dict(sorted(memory.items())), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- checks

_PLACEHOLDER = re.compile(
    r"%\((?P<name>[^)]+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGa%]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgG%]"  # %s %d %%
    r"|\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}|\{\}"  # {name} {0:.1f} {}
    r"|<[^>]+>"  # HTML tags
)


def placeholders(s: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(s))


# proper names that stay in Vietnamese in the English UI
KEPT_IN_VIETNAMESE = ("Phối Hợp", "Bắc Ninh", "Tiếng Việt", "NĐ-CP", "Hùng")
_VIETNAMESE_LETTERS = r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]"


def problems(e: Entry) -> list[str]:
    out = []
    if e.is_header or not e.translated:
        return out
    targets = e.value() if isinstance(e.value(), list) else [e.value()]
    sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
    want = placeholders(sources[-1])
    for t in targets:
        got = placeholders(t)
        if got != want and not (e.msgid_plural is not None and set(got) <= set(want)):
            out.append(f"placeholders differ: {want} vs {got}")
        for src in sources[:1]:
            if src[:1].isspace() != t[:1].isspace() or src[-1:].isspace() != t[-1:].isspace():
                out.append("leading/trailing whitespace differs")
            if src.endswith("\n") != t.endswith("\n"):
                out.append("trailing newline differs")
            for punct in (":", "…", "?", "."):
                if src.rstrip().endswith(punct) and not t.rstrip().endswith(punct) and punct != ".":
                    out.append(f"source ends with {punct!r}, translation does not")
    text = " ".join(targets)
    for name in KEPT_IN_VIETNAMESE:
        text = text.replace(name, "")
    text = re.sub(r"“[^”]*”|\([^)]*\)", "", text)  # quoted names and glosses are fine
    if re.search(_VIETNAMESE_LETTERS, text, re.I):
        out.append("translation contains Vietnamese words without a gloss (intended?)")
    return out


# --------------------------------------------------------------------------- commands

def cmd_status(args) -> int:
    entries = [e for e in load() if not e.is_header and not e.obsolete]
    untranslated = [e for e in entries if not e.translated]
    fuzzy = [e for e in entries if e.fuzzy]
    flagged = [(e, p) for e in entries if e.translated and not e.fuzzy for p in problems(e)]
    done = len(entries) - len(set(map(id, untranslated)) | set(map(id, fuzzy)))
    print(f"{PO.relative_to(ROOT)}: {len(entries)} entries, {done} translated, "
          f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
    for title, group in (("UNTRANSLATED", untranslated), ("FUZZY", fuzzy)):
        if group:
            print(f"\n{title}:")
            for e in group:
                ctx = f"[{e.msgctxt}] " if e.msgctxt else ""
                print(f"  {ctx}{e.msgid!r}  ({' '.join(e.references[:2])})")
    if flagged and not args.quiet:
        print("\nCHECK (not errors, just worth a look):")
        for e, p in flagged:
            print(f"  {e.msgid!r}: {p}")
    return 1 if (untranslated or fuzzy) and args.strict else 0


def fill_from_memory(entries: list[Entry], memory: dict) -> int:
    n = 0
    for e in entries:
        if e.is_header or e.obsolete:
            continue
        if (not e.translated or e.fuzzy) and e.key in memory:
            e.set_value(memory[e.key])
            n += 1
    return n


def cmd_refill(args) -> int:
    entries = load()
    memory = load_memory()
    n = fill_from_memory(entries, memory)
    fix_header(entries, touched=n > 0)
    save(entries)
    print(f"filled {n} entries from {MEMORY.relative_to(ROOT)}")
    return cmd_status(args)


def cmd_todo(args) -> int:
    todo = []
    for e in load():
        if e.is_header or e.obsolete or (e.translated and not e.fuzzy):
            continue
        item = {"msgid": e.msgid}
        if e.msgctxt is not None:
            item["msgctxt"] = e.msgctxt
        if e.msgid_plural is not None:
            item["msgid_plural"] = e.msgid_plural
            item["msgstr_plural"] = ["", ""]
        else:
            item["msgstr"] = ""
        if e.fuzzy:
            item["fuzzy_guess"] = e.value()
        item["refs"] = e.references[:4]
        flags = [f for f in e.flags if f != "fuzzy"]
        if flags:
            item["flags"] = flags
        todo.append(item)
    text = json.dumps(todo, ensure_ascii=False, indent=1) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(todo)} entries written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_apply(args) -> int:
    entries = load()
    index = {e.key: e for e in entries if not e.obsolete}
    memory = load_memory()
    missing, empty, applied, bad = [], 0, 0, []
    for path in args.files:
        for item in json.loads(Path(path).read_text(encoding="utf-8")):
            key = json.dumps([item.get("msgctxt"), item["msgid"], item.get("msgid_plural")],
                             ensure_ascii=False)
            value = item.get("msgstr_plural", item.get("msgstr"))
            if not value or (isinstance(value, list) and not all(value)):
                empty += 1
                continue
            memory[key] = value
            e = index.get(key)
            if e is None:
                missing.append(item["msgid"])
                continue
            e.set_value(value)
            bad.extend(f"{e.msgid!r}: {p}" for p in problems(e))
            applied += 1
    fix_header(entries, touched=applied > 0)
    save(entries)
    save_memory(memory)
    print(f"applied {applied}; {empty} left empty; {len(missing)} not in the catalogue "
          f"(kept in memory)")
    for m in missing:
        print(f"  not in catalogue: {m!r}")
    for b in bad:
        print(f"  CHECK {b}")
    return 0


def cmd_harvest(args) -> int:
    memory = load_memory()
    n = 0
    for e in load():
        if e.is_header or e.obsolete or e.fuzzy or not e.translated:
            continue
        if memory.get(e.key) != e.value():
            memory[e.key] = e.value()
            n += 1
    save_memory(memory)
    print(f"{n} entries added/updated in {MEMORY.relative_to(ROOT)} ({len(memory)} in total)")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refill", help="after makemessages: refill from memory, print status")
    p.add_argument("--strict", action="store_true", help="exit 1 if anything is untranslated")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_refill)
    p = sub.add_parser("status", help="list untranslated and fuzzy entries")
    p.add_argument("--strict", action="store_true", help="exit 1 if anything is untranslated")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("todo", help="untranslated/fuzzy entries as JSON")
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_todo)
    p = sub.add_parser("apply", help="apply JSON translations to the po and the memory")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_apply)
    p = sub.add_parser("harvest", help="copy finished po entries into the memory")
    p.set_defaults(func=cmd_harvest)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
