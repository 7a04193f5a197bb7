from __future__ import annotations

import datetime as dt

import pytest

from phoihop.almanac import focus, services
from phoihop.almanac.models import PoliticalResolution, YearTheme
from phoihop.almanac.tests import factories
from phoihop.audit.recorder import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    city = factories.unit("Thành phố Bắc Ninh")
    org = factories.organization("Ban CHQS thành phố Bắc Ninh", administrative_unit=city)
    other = factories.organization("Tổ chức khác")
    alice = factories.user("alice", org, "committee_admin")
    services.add_local_commemoration(org, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "gp-bn")
    services.save_year_theme(
        year=2019, administrative_unit=city,
        theme="Năm kỷ cương, trách nhiệm",
        resolutions=["Giữ vững ổn định chính trị", "Hoàn thành chỉ tiêu tuyển quân", "Xây dựng nông thôn mới",
                     "Phòng, chống tội phạm", "Nâng cao đời sống nhân dân"],
    )
    prog = factories.program("ct-2019", org, other)
    factories.event("Ký kết chương trình", dt.datetime(2019, 7, 9, 8), programs=[prog], orgs=[org])
    factories.event("Họp riêng của tổ chức khác", dt.datetime(2019, 7, 20, 8), orgs=[other])
    return {"city": city, "org": org, "other": other, "alice": alice, "program": prog}


def scope(world, **kw):
    return focus.FocusScope(start=dt.date(2019, 7, 9), end=dt.date(2019, 9, 6), user=world["alice"], **kw)


def test_the_focus_of_an_organisation(world):
    result = focus.upcoming_focus(scope(world, organization=world["org"]))
    titles = [i.title for i in result.anniversaries]
    # round anniversaries first, then those ending in 5, then the others
    assert titles[0] == "Kỷ niệm 90 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 - 28/7/2019)"
    assert titles[1] == "Kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)"
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in titles
    assert [i.title for i in result.events] == ["Ký kết chương trình"]
    assert [i.title for i in result.themes] == ["Năm kỷ cương, trách nhiệm"]
    assert [i.title for i in result.resolutions][0] == "1. Giữ vững ổn định chính trị"
    assert "05 quyết tâm chính trị năm 2019" in result.resolutions[0].detail
    kinds = [i.kind for i in result.items]
    assert kinds == sorted(kinds, key=focus.KIND_ORDER.index)


def test_the_focus_of_a_program_covers_its_parties(world):
    result = focus.upcoming_focus(scope(world, program=world["program"]))
    assert [i.title for i in result.events] == ["Ký kết chương trình"]
    assert result.lines()[0].startswith("Kỷ niệm 90 năm")


def test_private_events_of_other_organisations_stay_out(world):
    result = focus.upcoming_focus(scope(world, organization=world["other"]))
    # the program's signing concerns both parties; the other organisation's own meeting is private
    assert [i.title for i in result.events] == ["Ký kết chương trình"]
    assert not any("Bắc Ninh" in i.title for i in result.anniversaries)


def test_a_provider_plugs_in(world):
    def deadlines(s):
        yield focus.FocusItem(kind=focus.DEADLINE, title="Báo cáo 6 tháng", date=dt.date(2019, 7, 15))

    result = focus.upcoming_focus(scope(world), providers=[*focus.focus_providers(), deadlines])
    mine = [i for i in result.deadlines if i.title == "Báo cáo 6 tháng"]
    assert len(mine) == 1
    assert result.items.index(mine[0]) > result.items.index(result.anniversaries[-1])
    assert focus.register_focus_provider(deadlines) is deadlines
    focus._PROVIDERS.remove(deadlines)


def test_resolutions_are_edited_by_number_and_audited(world):
    theme = YearTheme.objects.get()
    services.save_year_theme(year=2019, administrative_unit=world["city"], theme=theme.theme,
                             resolutions=["Giữ vững ổn định chính trị", "Hoàn thành 100% chỉ tiêu tuyển quân"],
                             instance=theme)
    assert list(theme.resolutions.values_list("number", "text")) == [
        (1, "Giữ vững ổn định chính trị"), (2, "Hoàn thành 100% chỉ tiêu tuyển quân"),
    ]
    second = PoliticalResolution.objects.get(theme=theme, number=2)
    assert history_for(second).filter(action="update").exists()


def test_one_theme_per_owner_and_year(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        YearTheme(administrative_unit=world["city"], year=2019, theme="x").full_clean()
    with pytest.raises(ValidationError):
        YearTheme(year=2019, theme="no owner").full_clean()
