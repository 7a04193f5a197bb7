"""Issue 12: bidi controls and zero-width characters never reach a stored name or title.

One-line fields (CharField: names, titles, codes) lose every invisible format character
(Unicode category Cf); multi-line text (TextField: narratives) loses the bidi embeddings,
overrides and isolates. Vietnamese text is kept as it is, in NFC.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.almanac.models import Commemoration
from phoihop.core.models import normalized_text
from phoihop.core.vietnamese import clean_line, without_bidi_controls, without_invisible
from phoihop.organizations.models import Organization
from phoihop.programs.models import Event, Program
from phoihop.reporting.models import DataValue

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWSP, ZWNJ, ZWJ, LRM, RLM, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"
HIDDEN = [RLO, PDF, LRI, PDI, "\u202a", "\u202b", "\u202d", "\u2067", "\u2068",
          ZWSP, ZWNJ, ZWJ, LRM, RLM, WJ, BOM, "\u00ad", "\U000e0041"]
VIETNAMESE = [
    "Ban Chỉ huy Quân sự thành phố Bắc Ninh", "Hội Liên hiệp Phụ nữ", "Đền ơn đáp nghĩa",
    "Nguyễn Thị Hằng", "Trường Sa – Hoàng Sa “27/7”", "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ",
]


def _sprinkle(text: str) -> str:
    """`text` with every hidden character put between its words."""
    words = text.split(" ")
    return BOM + RLO + (" " + ZWSP).join(words[:1]) + "".join(f" {HIDDEN[i % len(HIDDEN)]}{w}" for i, w in enumerate(words[1:])) + PDF + ZWJ


@pytest.mark.parametrize("ch", HIDDEN)
def test_each_hidden_character_is_a_format_control_and_is_removed(ch):
    assert unicodedata.category(ch) == "Cf"
    assert clean_line(f"Hội{ch} Nông dân{ch}") == "Hội Nông dân"


@pytest.mark.parametrize("text", VIETNAMESE)
def test_vietnamese_text_is_unchanged_and_nfc(text):
    assert clean_line(text) == text
    assert clean_line(unicodedata.normalize("NFD", text)) == text  # decomposed tones composed, not lost
    assert without_bidi_controls(text) == text
    assert clean_line(_sprinkle(text)) == text


def test_multi_line_text_loses_the_bidi_controls_only():
    text = f"Dòng một{RLO} đảo chiều{PDF}\nDòng hai {LRI}cô lập{PDI} 👨{ZWJ}👩{ZWJ}👧"
    field = DataValue._meta.get_field("text_value")
    assert normalized_text(field, text) == "Dòng một đảo chiều\nDòng hai cô lập 👨\u200d👩\u200d👧"
    assert without_invisible("a\u200db") == "ab"


def test_a_bulk_written_comment_is_cleaned_like_a_saved_one():
    """reporting.bulk writes comments through normalized_text (save() never sees them)."""
    field = DataValue._meta.get_field("comment")
    assert normalized_text(field, f" {RLO}Ghi chú{ZWSP} ") == "Ghi chú"


@pytest.mark.django_db
def test_model_save_strips_names_and_titles():
    org = f.OrganizationFactory(name=_sprinkle("Ban Dân vận Thành ủy Bắc Ninh"), short_name=f"BDV{ZWSP}")
    org.refresh_from_db()
    assert (org.name, org.short_name) == ("Ban Dân vận Thành ủy Bắc Ninh", "BDV")
    assert Organization.objects.filter(search_text__contains="ban dan van thanh uy bac ninh").exists()
    person = f.PersonFactory(full_name=f"Nguyễn{ZWSP} Văn{RLM} An{BOM}")
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn An"


@pytest.mark.django_db
def test_a_program_created_through_the_api_is_stored_without_them(client, manager, org_a):
    _token, raw = ApiToken.issue(manager)
    title = "Chương trình phối hợp giữa Ban CHQS và Hội LHPN"
    body = {"code": "ct-an", "title": _sprinkle(title), "start": "2024-01-01", "end": "2028-12-31",
            "parties": [{"organization": org_a.pk, "role": "lead"}]}
    response = client.post("/api/programs", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201, response.content
    assert Program.objects.get(code="ct-an").title == title
    assert response.json()["title"] == title


@pytest.mark.django_db
def test_a_name_entered_on_a_page_is_stored_without_them(client, manager, org_a):
    client.force_login(manager)
    response = client.post(reverse("almanac:commemoration_add"), {
        "organization": org_a.pk, "name": f"{RLO}Ngày thành lập{ZWSP} Ban{PDF} CHQS{BOM}", "short_name": "",
        "calendar": "solar", "day": 15, "month": 10, "origin_year": 1957, "source": f"Quyết định{RLO} số 1", "note": "",
    })
    assert response.status_code == 302
    c = Commemoration.objects.get(organization=org_a)
    assert c.name == "Ngày thành lập Ban CHQS"
    assert c.source == "Quyết định số 1"


@pytest.mark.django_db
def test_event_titles_and_user_names(org_a):
    event = f.EventFactory(title=f"Hội nghị{LRI} sơ kết{PDI}")
    event = Event.objects.get(pk=event.pk)
    assert event.title == "Hội nghị sơ kết"
    user = get_user_model().objects.create_user(
        "hang", first_name=f"Nguyễn{ZWSP} Thị", last_name=f"{RLO}Hằng{PDF}", password="mat-khau-dai-1")
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.get_full_name()) == ("Nguyễn Thị", "Hằng", "Nguyễn Thị Hằng")


@pytest.mark.django_db
def test_a_required_name_of_hidden_characters_only_is_refused_not_stored_empty(client, manager, org_a):
    # A page: the form says the name is required, nothing is stored.
    client.force_login(manager)
    response = client.post(reverse("almanac:commemoration_add"), {
        "organization": org_a.pk, "name": f"{RLO}{ZWSP} {BOM}", "short_name": "",
        "calendar": "solar", "day": 15, "month": 10, "origin_year": 1957, "source": "", "note": "",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Commemoration.objects.filter(organization=org_a).exists()
    # The API: a program title of hidden characters only is "empty", with its message.
    _token, raw = ApiToken.issue(manager)
    body = {"code": "ct-rong", "title": f"{ZWSP}{RLO}{PDF}", "start": "2024-01-01", "end": "2028-12-31",
            "parties": [{"organization": org_a.pk, "role": "lead"}]}
    response = client.post("/api/programs", json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert "không được để trống" in json.dumps(response.json(), ensure_ascii=False)
    assert not Program.objects.filter(code="ct-rong").exists()
