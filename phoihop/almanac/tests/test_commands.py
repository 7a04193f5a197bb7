from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop.almanac import services
from phoihop.almanac.tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_lunar_1985_01_21_is_the_first_day_of_at_suu():
    data = json.loads(run("lunar", "1985-01-21", "--format", "json"))
    assert data == {
        "solar": "1985-01-21", "lunar_day": 1, "lunar_month": 1, "lunar_year": 1985, "leap": False,
        "year_can_chi": "Ất Sửu", "month_can_chi": "Mậu Dần", "day_can_chi": "Canh Thân",
    }
    text = run("lunar", "1985-01-21")
    assert "mùng 1 tháng Giêng năm Ất Sửu" in text


def test_solar_converts_a_leap_month_day():
    data = json.loads(run("solar", "2020-04-01", "--leap", "--format", "json"))
    assert data["solar"] == "2020-05-23" and data["leap"] is True and data["lunar_month"] == 4


def test_anniversaries_of_the_seed_window():
    org = factories.organization("Ban Dân vận Thành ủy Bắc Ninh")
    services.add_local_commemoration(org, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "giai-phong-tp-bac-ninh")
    data = json.loads(run("anniversaries", "--from", "2019-07-10", "--to", "2019-08-31", "--format", "json"))
    assert all(set(row) == {"name", "origin", "date", "years", "kind", "text"} for row in data)
    texts = [row["text"] for row in data]
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in texts
    assert "Kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)" in texts
    liberation = next(row for row in data if row["name"] == "Ngày giải phóng thành phố Bắc Ninh")
    assert liberation == {
        "name": "Ngày giải phóng thành phố Bắc Ninh", "origin": "1954-08-08", "date": "2019-08-08",
        "years": 65, "kind": "half_round",
        "text": "Kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)",
    }
    assert "Kỷ niệm 72 năm" in run("anniversaries", "--from", "2019-07-10", "--to", "2019-08-31")


def test_hung_kings_day_has_null_years_and_origin():
    data = json.loads(run("anniversaries", "--from", "2019-04-01", "--to", "2019-04-30", "--format", "json"))
    hung = next(row for row in data if row["name"] == "Giỗ Tổ Hùng Vương")
    assert hung == {"name": "Giỗ Tổ Hùng Vương", "origin": None, "date": "2019-04-14", "years": None,
                    "kind": "other", "text": "Giỗ Tổ Hùng Vương (10/3 âm lịch)"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lunar", "2019-02-31"), "31/02/2019 không tồn tại"),
        (("lunar", "2019-2-x"), "không đúng dạng"),
        (("lunar", "1899-12-31"), "ngoài phạm vi"),
        (("lunar", "2101-01-01"), "ngoài phạm vi"),
        (("solar", "2020-04-30", "--leap"), "chỉ có 29 ngày"),
        (("solar", "2019-04-15", "--leap"), "không có tháng nhuận"),
        (("solar", "2019-13-01"), "từ 1 đến 12"),
        (("solar", "2150-01-01"), "ngoài phạm vi"),
        (("anniversaries", "--from", "2019-08-31", "--to", "2019-07-10"), "phải sau"),
        (("anniversaries", "--from", "2019-02-30", "--to", "2019-07-10"), "không tồn tại"),
    ],
)
def test_bad_input_is_a_clear_vietnamese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_command_error_exits_non_zero(capsys):
    import sys

    from phoihop.__main__ import main

    argv = sys.argv
    sys.argv = ["phoihop", "lunar", "2019-02-31"]
    try:
        with pytest.raises(SystemExit) as info:
            main()
    finally:
        sys.argv = argv
    assert info.value.code != 0
    assert "không tồn tại" in capsys.readouterr().err
