import datetime as dt
import unicodedata

import pytest

from phoihop.core.collation import vi_order
from phoihop.core.formatting import doc_date, number_vi, place_date_line, short_date
from phoihop.core.vietnamese import fold, nfc, sort_key, sorted_vi
from phoihop.factories import OrganizationFactory
from phoihop.organizations.models import Organization


def test_fold_strips_tones_and_d_bar():
    assert fold("Ban Dân vận Thành ủy") == "ban dan van thanh uy"
    assert fold("Quân sự") == "quan su"
    assert fold("ĐOÀN  Thanh niên") == "doan thanh nien"


def test_fold_is_the_same_for_nfc_and_nfd_input():
    text = "Hội Liên hiệp Phụ nữ"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_nfc_normalises_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Đền ơn đáp nghĩa")
    assert nfc(decomposed) == "Đền ơn đáp nghĩa"
    assert len(nfc(decomposed)) < len(decomposed)


def test_d_bar_sorts_after_d():
    words = ["Đoàn", "Dân", "Em", "Duy", "Cựu"]
    assert sorted_vi(words) == ["Cựu", "Dân", "Duy", "Đoàn", "Em"]


def test_vowels_with_marks_follow_their_base_letter():
    assert sorted_vi(["ơ", "o", "ô", "p"]) == ["o", "ô", "ơ", "p"]
    assert sorted_vi(["ư", "v", "u"]) == ["u", "ư", "v"]
    assert sorted_vi(["â", "b", "ă", "a"]) == ["a", "ă", "â", "b"]


def test_tones_are_ordered_like_icu_vi():
    # no tone < huyền < hỏi < ngã < sắc < nặng
    assert sorted_vi(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_letters_outweigh_tones():
    # "bà" < "bác" because the letters decide before the tone does.
    assert sort_key("bà") < sort_key("bác")
    assert sorted_vi(["Hội Nông dân", "Hội Người cao tuổi"]) == ["Hội Người cao tuổi", "Hội Nông dân"]


def test_doc_date_uses_leading_zero_for_small_days_and_months_one_and_two():
    assert doc_date(dt.date(1954, 8, 8)) == "08/8/1954"
    assert doc_date(dt.date(1930, 2, 3)) == "03/02/1930"
    assert doc_date(dt.date(1947, 7, 27)) == "27/7/1947"
    assert doc_date(dt.date(2019, 12, 1)) == "01/12/2019"


def test_place_date_line_follows_decree_30():
    assert place_date_line("Bắc Ninh", dt.date(2019, 7, 9)) == "Bắc Ninh, ngày 09 tháng 7 năm 2019"
    assert place_date_line("Bắc Ninh", dt.date(2020, 1, 15)) == "Bắc Ninh, ngày 15 tháng 01 năm 2020"


def test_short_date_is_dd_mm_yyyy():
    assert short_date(dt.date(2019, 7, 9)) == "09/07/2019"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234567.5, "1.234.567,5"), (1000, "1.000"), (0, "0"), (-2500, "-2.500"), (12.0, "12")],
)
def test_numbers_use_dot_thousands_and_comma_decimals(value, text):
    assert number_vi(value) == text


def test_numbers_with_fixed_decimals():
    assert number_vi(1234.5, 2) == "1.234,50"


@pytest.mark.django_db
def test_database_orders_names_in_vietnamese_on_this_engine():
    for name in ["Đoàn Thanh niên", "Dân quân", "Hội Nông dân", "Hội Người cao tuổi", "Ủy ban MTTQ", "Uy tín", "Ban CHQS"]:
        OrganizationFactory(name=name)
    names = list(vi_order(Organization.objects.all(), "name").values_list("name", flat=True))
    assert names == ["Ban CHQS", "Dân quân", "Đoàn Thanh niên", "Hội Người cao tuổi", "Hội Nông dân", "Ủy ban MTTQ", "Uy tín"]


@pytest.mark.django_db
def test_saved_text_is_nfc_and_searchable_without_diacritics():
    org = OrganizationFactory(name=unicodedata.normalize("NFD", "Ban Dân vận Thành ủy"))
    org.refresh_from_db()
    assert org.name == "Ban Dân vận Thành ủy"
    assert Organization.objects.filter(search_text__contains="dan van").get() == org
