"""The committed English catalogue is not stale (so `make test` fails when it is).

In a temporary copy of the source (the working tree is never written), Django's
`compilemessages` compiles the committed django.po and the result must hold exactly what the
committed django.mo holds; then `phoihop makemessages -l en` (the same command `make messages`
runs) extracts the source, and its msgids must be exactly those of the committed django.po,
which must have no untranslated or fuzzy entry. The fix for any failure is `make messages`
and translating what it lists (locale/README.md).
"""

import fnmatch
import gettext
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from phoihop.core.management.commands.makemessages import PROJECT_IGNORES

ROOT = Path(settings.BASE_DIR)
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES"
SOURCE_SUFFIXES = (".py", ".html", ".txt")  # what makemessages reads for the "django" domain
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt")


def _po_parser():
    spec = importlib.util.spec_from_file_location("phoihop_translations_script", ROOT / "scripts" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


translations = _po_parser()


def _ignored(name: str) -> bool:
    return name.startswith(".") or any(fnmatch.fnmatch(name, pattern) for pattern in PROJECT_IGNORES)


def _copy_tree(target: Path) -> None:
    """The files makemessages reads, and the committed catalogue, copied under `target`."""
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if not _ignored(d)]
        relative = Path(dirpath).relative_to(ROOT)
        for name in filenames:
            if name.endswith(SOURCE_SUFFIXES) or relative.parts[:1] == ("locale",):
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(dirpath) / name, target / relative / name)


def _run_in(tree: Path, command: str) -> None:
    """A Django i18n command run in a copied tree, with LOCALE_PATHS pointing into it."""
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[tree / "locale"]):
            call_command(command, locale=["en"], verbosity=0)
    finally:
        os.chdir(cwd)


def _key(entry) -> tuple:
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def _describe(keys) -> str:
    return "\n".join(f"  {'[' + c + '] ' if c else ''}{m!r}" + (f" / {p!r}" if p else "") for c, m, p in sorted(keys, key=str))


def stale_msgids(extracted, committed) -> list[str]:
    """What differs between a fresh extraction and the committed po, as readable lines."""
    fresh = {_key(e) for e in extracted if not e.is_header and not e.obsolete}
    kept = {_key(e) for e in committed if not e.is_header and not e.obsolete}
    obsolete_marked = {_key(e) for e in committed if e.obsolete}
    problems = []
    if fresh - kept:
        problems.append(f"used in the source but missing from django.po:\n{_describe(fresh - kept)}")
    if kept - fresh:
        problems.append(f"in django.po but no longer in the source (obsolete):\n{_describe(kept - fresh)}")
    if obsolete_marked:
        problems.append(f"obsolete #~ entries left in django.po:\n{_describe(obsolete_marked)}")
    return problems


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GNU gettext is needed to check the catalogue (apt-get install gettext); missing: {missing}")
    tree = tmp_path_factory.mktemp("catalogue")
    _copy_tree(tree)
    return tree


@pytest.fixture(scope="module")
def extracted(sandbox):
    """The catalogue as `phoihop makemessages -l en` makes it from the current source."""
    tree = sandbox / "extract"
    shutil.copytree(sandbox, tree, ignore=shutil.ignore_patterns("extract", "compile", "scratch"))
    _run_in(tree, "makemessages")
    return translations.load(tree / CATALOGUE / "django.po")


def test_every_msgid_of_the_source_is_in_the_catalogue_and_no_other(extracted):
    problems = stale_msgids(extracted, translations.load(ROOT / CATALOGUE / "django.po"))
    assert not problems, "locale/en/LC_MESSAGES/django.po is stale; run `make messages`:\n" + "\n".join(problems)


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in translations.load(ROOT / CATALOGUE / "django.po") if not e.is_header and not e.obsolete]
    untranslated = {_key(e) for e in entries if not e.translated}
    fuzzy = {_key(e) for e in entries if e.fuzzy}
    assert len(entries) > 1000  # the parser read the real catalogue
    assert not untranslated, f"untranslated in django.po (see locale/README.md):\n{_describe(untranslated)}"
    assert not fuzzy, f"fuzzy in django.po, to check and unflag (see locale/README.md):\n{_describe(fuzzy)}"


def test_the_compiled_catalogue_is_what_compilemessages_makes_of_the_po(sandbox):
    tree = sandbox / "compile"
    shutil.copytree(sandbox / "locale", tree / "locale")
    (tree / CATALOGUE / "django.mo").unlink()
    _run_in(tree, "compilemessages")
    with open(tree / CATALOGUE / "django.mo", "rb") as fresh, open(ROOT / CATALOGUE / "django.mo", "rb") as committed:
        fresh_catalog, committed_catalog = gettext.GNUTranslations(fresh)._catalog, gettext.GNUTranslations(committed)._catalog
    differ = sorted((k for k in fresh_catalog.keys() | committed_catalog.keys()
                     if fresh_catalog.get(k) != committed_catalog.get(k)), key=str)
    assert not differ, (f"locale/en/LC_MESSAGES/django.mo differs from django.po in {len(differ)} entries, e.g. "
                        f"{differ[:5]!r}; run `make messages` (or `phoihop compilemessages -l en`)")


def test_a_new_string_in_the_source_makes_the_catalogue_stale(sandbox):
    """The check above can fail: a new gettext string in a scratch copy is reported by name."""
    tree = sandbox / "scratch"
    shutil.copytree(sandbox, tree, ignore=shutil.ignore_patterns("extract", "compile", "scratch"))
    (tree / "phoihop" / "core" / "scratch_new_string.py").write_text(
        'from django.utils.translation import gettext as _\n\nMESSAGE = _("Chuỗi mới chưa có trong danh mục")\n',
        encoding="utf-8",
    )
    _run_in(tree, "makemessages")
    problems = stale_msgids(translations.load(tree / CATALOGUE / "django.po"), translations.load(ROOT / CATALOGUE / "django.po"))
    assert len(problems) == 1 and "missing from django.po" in problems[0]
    assert "Chuỗi mới chưa có trong danh mục" in problems[0]
