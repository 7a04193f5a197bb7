from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from phoihop.almanac import catalog, lunar, services
from phoihop.almanac.models import Commemoration
from phoihop.almanac.tests import factories
from phoihop.audit.recorder import history_for
from phoihop.core.formatting import doc_date

pytestmark = pytest.mark.django_db

SHORT_2020 = next(m.number for m in lunar.year_months(2020) if m.length == 29 and not m.leap)


def by_code(found):
    return {a.commemoration.code: a for a in found}


@pytest.fixture
def bac_ninh():
    org = factories.organization("Ban Dân vận Thành ủy Bắc Ninh")
    return services.add_local_commemoration(
        org, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "giai-phong-tp-bac-ninh",
        source="Ngày 08/8/1954 thị xã Bắc Ninh được giải phóng.",
    )


def test_the_seed_window_lists_both_anniversaries_of_the_article(bac_ninh):
    found = by_code(services.anniversaries(dt.date(2019, 7, 10), dt.date(2019, 8, 31)))
    martyrs = found["thuong-binh-liet-si"]
    assert (martyrs.years, martyrs.kind, martyrs.date) == (72, "other", dt.date(2019, 7, 27))
    assert martyrs.text == "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)"
    liberation = found["giai-phong-tp-bac-ninh"]
    assert (liberation.years, liberation.kind) == (65, "half_round")
    assert liberation.text == "Kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)"
    assert liberation.as_dict()["origin"] == "1954-08-08"


@pytest.mark.parametrize(
    ("years", "kind"),
    [(10, "round"), (90, "round"), (100, "round"), (5, "half_round"), (65, "half_round"),
     (75, "half_round"), (1, "other"), (72, "other"), (89, "other"), (None, "other"), (0, "other")],
)
def test_kinds_follow_decree_145(years, kind):
    assert services.anniversary_kind(years) == kind


def test_ordinals_of_the_national_days():
    found = by_code(services.anniversaries(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert found["thanh-lap-dang"].years == 90
    assert found["thanh-lap-dang"].text == (
        "Kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2020)"
    )
    assert found["giai-phong-mien-nam"].years == 45
    assert found["sinh-nhat-bac"].years == 130
    assert found["quoc-khanh"].text == (
        "Kỷ niệm 75 năm Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/9/1945 - 02/9/2020)"
    )
    assert found["thanh-lap-qdnd"].years == 76
    assert found["quoc-phong-toan-dan"].years == 31
    assert found["truyen-thong-dan-van"].text == (
        "Kỷ niệm 90 năm Ngày truyền thống công tác Dân vận của Đảng (15/10/1930 - 15/10/2020)"
    )


def test_the_seeded_catalog_matches_the_issue_dates():
    expected = {
        "thanh-lap-dang": (3, 2, 1930), "thanh-lap-qdnd": (22, 12, 1944), "thuong-binh-liet-si": (27, 7, 1947),
        "thanh-lap-mttq": (18, 11, 1930), "thanh-lap-hoi-ccb": (6, 12, 1989), "thanh-lap-hoi-phu-nu": (20, 10, 1930),
        "thanh-lap-doan": (26, 3, 1931), "thanh-lap-hoi-nong-dan": (14, 10, 1930), "thanh-lap-cong-doan": (28, 7, 1929),
        "thanh-lap-hoi-chu-thap-do": (23, 11, 1946), "dan-quan-tu-ve": (28, 3, 1935), "quoc-khanh": (2, 9, 1945),
        "giai-phong-mien-nam": (30, 4, 1975), "chien-thang-dien-bien-phu": (7, 5, 1954), "sinh-nhat-bac": (19, 5, 1890),
        "gio-to-hung-vuong": (10, 3, None),
    }
    rows = {c.code: (c.day, c.month, c.origin_year) for c in Commemoration.objects.all()}
    for code, value in expected.items():
        assert rows[code] == value, code
    for c in Commemoration.objects.all():
        c.full_clean()  # every seeded date exists
        assert c.source and c.scope == "national"


def test_seeding_twice_changes_nothing():
    before = Commemoration.objects.count()
    assert catalog.seed(Commemoration) == len(catalog.NATIONAL_COMMEMORATIONS)
    assert Commemoration.objects.count() == before


def test_lunar_days_fall_on_their_solar_date_that_year():
    found = by_code(services.anniversaries(dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    hung = found["gio-to-hung-vuong"]
    assert hung.date == dt.date(2019, 4, 14)  # 10/3 Kỷ Hợi
    assert (hung.years, hung.origin, hung.kind) == (None, None, "other")
    assert hung.text == "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
    assert hung.as_dict()["years"] is None and hung.as_dict()["origin"] is None
    assert found["tet-nguyen-dan"].date == dt.date(2019, 2, 5)
    assert found["tet-nguyen-dan"].text == "Tết Nguyên đán (01/01 âm lịch)"


def test_a_lunar_day_with_an_origin_year_counts_lunar_years():
    org = factories.organization()
    # 14/4/2019 and 02/4/2020 were both Giỗ Tổ Hùng Vương, 10/3 âm lịch.
    c = services.add_local_commemoration(
        org, "Lễ hội truyền thống", dt.date(2019, 4, 14), "le-hoi", calendar="lunar"
    )
    assert (c.day, c.month, c.origin_year) == (10, 3, 2019)
    found = by_code(services.anniversaries(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert found["le-hoi"].years == 1
    assert found["le-hoi"].date == dt.date(2020, 4, 2)
    assert found["le-hoi"].text == "Kỷ niệm 1 năm Lễ hội truyền thống (14/4/2019 - 02/4/2020)"
    assert found["gio-to-hung-vuong"].date == dt.date(2020, 4, 2)


def test_a_window_across_the_new_year_finds_each_occurrence_once():
    found = services.anniversaries(dt.date(2019, 12, 1), dt.date(2020, 2, 29))
    codes = [a.commemoration.code for a in found]
    assert codes.count("tet-nguyen-dan") == 1  # 25/01/2020
    assert codes.count("thanh-lap-qdnd") == 1
    assert [a.date for a in found] == sorted(a.date for a in found)


def test_the_origin_year_itself_is_not_an_anniversary():
    found = by_code(services.anniversaries(dt.date(1947, 1, 1), dt.date(1948, 12, 31)))
    assert [a.years for a in services.anniversaries(dt.date(1947, 7, 1), dt.date(1948, 7, 31))
            if a.commemoration.code == "thuong-binh-liet-si"] == [1]
    assert found["thuong-binh-liet-si"].date == dt.date(1948, 7, 27)


def test_the_29th_of_february_falls_on_the_28th_in_common_years():
    org = factories.organization()
    c = Commemoration.objects.create(code="nhuan", name="Ngày nhuận", day=29, month=2, origin_year=2000,
                                     scope="local", organization=org)
    assert c.occurrence_in(2019) == dt.date(2019, 2, 28)
    assert c.occurrence_in(2020) == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (dt.date(2019, 8, 1), dt.date(2019, 7, 1), "phải sau"),
        (dt.date(2019, 1, 1), dt.date(2025, 1, 1), "tối đa"),
        (dt.date(1899, 12, 1), dt.date(1900, 1, 31), "01/01/1900"),
    ],
)
def test_bad_windows_are_refused(start, end, message):
    with pytest.raises(services.WindowError, match=message):
        services.anniversaries(start, end)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"day": 31, "month": 2, "origin_year": 1950}, "day"),
        ({"day": 30, "month": 2}, "day"),
        ({"day": 31, "month": 4, "origin_year": 1950}, "day"),
        ({"day": 1, "month": 13}, "month"),
        ({"calendar": "lunar", "day": 31, "month": 1}, "day"),
        ({"calendar": "lunar", "day": 30, "month": SHORT_2020, "origin_year": 2020}, "day"),
    ],
)
def test_commemorations_that_do_not_exist_are_refused(fields, error_field):
    org = factories.organization()
    values = {"code": "x", "name": "X", "scope": "local", "organization": org, "day": 1, "month": 1, **fields}
    with pytest.raises(ValidationError) as info:
        Commemoration(**values).full_clean()
    assert error_field in info.value.message_dict


def test_a_local_day_needs_an_owner_and_a_national_one_none():
    with pytest.raises(ValidationError):
        Commemoration(code="a", name="A", day=1, month=1, scope="local").full_clean()
    org = factories.organization()
    with pytest.raises(ValidationError):
        Commemoration(code="b", name="B", day=1, month=1, scope="national", organization=org).full_clean()


def test_add_local_commemoration_is_idempotent_and_audited(bac_ninh):
    again = services.add_local_commemoration(
        bac_ninh.organization, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "giai-phong-tp-bac-ninh",
    )
    assert again.pk == bac_ninh.pk
    assert Commemoration.objects.filter(code="giai-phong-tp-bac-ninh").count() == 1
    assert history_for(bac_ninh).filter(action="create").exists()


def test_local_days_are_limited_to_their_organisation():
    mine, other = factories.organization(), factories.organization()
    services.add_local_commemoration(mine, "Ngày của tôi", dt.date(2000, 5, 5), "cua-toi")
    services.add_local_commemoration(other, "Ngày của họ", dt.date(2000, 5, 6), "cua-ho")
    qs = services.commemorations_for({mine.pk}, set())
    codes = set(qs.values_list("code", flat=True))
    assert "cua-toi" in codes and "cua-ho" not in codes and "thanh-lap-dang" in codes


def test_a_units_day_reaches_the_organisations_below_it():
    province = factories.unit("Tỉnh Bắc Ninh")
    city = factories.unit("Thành phố Bắc Ninh", parent=province)
    org = factories.organization(administrative_unit=city)
    services.add_local_commemoration(None, "Ngày của tỉnh", dt.date(1831, 1, 1), "ngay-tinh", administrative_unit=province)
    units = services.unit_ids_for({org.pk})
    assert units == {city.pk, province.pk}
    assert services.commemorations_for({org.pk}, units).filter(code="ngay-tinh").exists()


def test_doc_date_is_used_for_the_wording():
    assert doc_date(dt.date(1930, 2, 3)) == "03/02/1930"
    assert doc_date(dt.date(1954, 8, 8)) == "08/8/1954"
