"""The admin speaks Vietnamese in Vietnamese mode (issue 14): Django's own Vietnamese catalogues
lag behind its English strings ("Please correct the error below." became a plural, "Choose all"
became "Choose all %s"…), so the admin showed them in English. locale/vi/LC_MESSAGES fills the
gaps (django.po for the pages, djangojs.po for the admin's scripts); these tests fail when a
Django upgrade brings a string that neither Django nor that catalogue translates."""

from __future__ import annotations

import gettext
import json
import re
import shutil
import subprocess
from pathlib import Path

import axes
import django
import pytest
from django.conf import global_settings, settings
from django.urls import reverse
from django.utils.translation.trans_real import DjangoTranslation

from phoihop.core.tests.test_catalogue import translations

DJANGO_DIR = Path(django.__file__).parent
VI = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
# Django's English catalogues (every string of the app, as its source has them) of what the
# admin shows: the admin's pages and scripts, users and groups, and Django's forms, fields and
# validators (those catalogues also hold strings no page of the product can show, left out below).
ADMIN_SOURCES = [
    ("contrib/admin", "django"), ("contrib/admin", "djangojs"), ("contrib/auth", "django"), ("contrib/contenttypes", "django"),
    ("axes", "django"),  # the login lockout's records
]


def _english(app: str, domain: str):
    path = DJANGO_DIR / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    if app == "axes":  # it ships no English catalogue: its German one lists its (English) msgids
        path = Path(axes.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
    return [e for e in translations.parse(path.read_text(encoding="utf-8")) if not e.is_header and not e.obsolete]


def _catalogue(domain: str):
    if domain == "django":
        return DjangoTranslation("vi")._catalog
    return DjangoTranslation("vi", domain=domain, localedirs=[str(DJANGO_DIR / "contrib" / "admin" / "locale")])._catalog


def _untranslated(entries, catalogue) -> list[str]:
    missing = []
    for entry in entries:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        found = catalogue.get((key, 0) if entry.msgid_plural else key)
        if not found:
            missing.append(entry.msgid)
    return missing


@pytest.mark.parametrize("app, domain", ADMIN_SOURCES)
def test_every_string_of_the_admin_has_a_vietnamese_translation(app, domain):
    missing = _untranslated(_english(app, domain), _catalogue(domain))
    assert not missing, f"untranslated in Vietnamese ({app}, {domain}); add them to locale/vi/LC_MESSAGES/{domain}.po:\n" + "\n".join(missing)


def test_the_form_and_field_messages_have_a_vietnamese_translation():
    entries = _english("conf", "django")
    skipped = {name for _code, name in global_settings.LANGUAGES}  # language names: no page of the product lists them
    welcome = DJANGO_DIR / "views" / "templates" / "default_urlconf.html"  # the page of a project without URLs
    shown_only_there = {e.msgid for e in entries if any("default_urlconf" in r for r in e.references)}
    assert welcome.exists() and shown_only_there
    kept = [e for e in entries if e.msgid not in skipped and e.msgid not in shown_only_there
            and e.msgid not in {"IPv4", "IPv6", "…"} and not e.msgctxt]
    missing = _untranslated(kept, _catalogue("django"))
    assert not missing, "untranslated in Vietnamese; add them to locale/vi/LC_MESSAGES/django.po:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_an_admin_form_with_an_error_says_so_in_vietnamese(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(reverse("admin:programs_contentarea_add"), {})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="errornote"' in html
    assert "Please correct" not in html
    assert "Hãy sửa lỗi dưới đây." in html


@pytest.mark.django_db
def test_the_admin_scripts_choose_and_remove_in_vietnamese(client, sysadmin):
    client.force_login(sysadmin)
    script = client.get(reverse("admin:jsi18n")).content.decode("utf-8")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    for english, vietnamese in [("Choose all %s", "Chọn tất cả %s"), ("Remove all %s", "Bỏ tất cả %s"),
                                ("Choose selected %s", "Chọn các %s đã đánh dấu"), ("Sunday", "Chủ nhật")]:
        assert catalog.get(english) == vietnamese, english


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_vietnamese_catalogue_is_its_po(domain, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext is needed to check the catalogue (apt-get install gettext)")
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(VI / f"{domain}.po")], check=True)
    fresh = gettext.GNUTranslations(compiled.open("rb"))._catalog
    committed = gettext.GNUTranslations((VI / f"{domain}.mo").open("rb"))._catalog
    assert fresh == committed, f"locale/vi/LC_MESSAGES/{domain}.mo is not compiled from its po: msgfmt -o {domain}.mo {domain}.po"
