"""The month view (/lich/) and the commemorations are public (issue 14 point 7): a visitor sees the
national days and the public events, and nothing else — no local day, no non-public event, no
year theme, no planned activity, no reporting deadline; the writing pages stay behind the login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.almanac import services
from phoihop.almanac.models import Commemoration, Scope
from phoihop.almanac.tests import factories
from phoihop.programs.models import ContentArea
from phoihop.reporting.models import Activity

pytestmark = pytest.mark.django_db

JULY_2019 = reverse("almanac:month", args=[2019, 7])


@pytest.fixture
def world():
    city = factories.unit("Thành phố Bắc Ninh")
    org = factories.organization("Ban Dân vận Thành ủy Bắc Ninh", administrative_unit=city)
    member = factories.user("thanhvien", org, "committee_admin")
    national = Commemoration.objects.create(
        code="thu-thuong-binh-liet-si", name="Ngày Thương binh - Liệt sĩ thử", day=27, month=7, origin_year=1947,
        scope=Scope.NATIONAL,
    )
    local = services.add_local_commemoration(org, "Ngày giải phóng riêng của Ban", dt.date(1954, 7, 8), "gp-rieng")
    services.save_year_theme(year=2019, organization=org, theme="Chủ đề nội bộ năm 2019", resolutions=["Quyết tâm nội bộ"])
    program = factories.program("ct-2019", org, status="in_force")
    factories.program("ct-nhap", org, status="draft")
    public = factories.event("Lễ ký kết công khai", dt.datetime(2019, 7, 9, 8), programs=[program], orgs=[org],
                             is_public=True)
    factories.event("Giao ban nội bộ kín", dt.datetime(2019, 7, 10, 8), programs=[program], orgs=[org])
    area = ContentArea.objects.create(code="thu-cong-khai", name="Nội dung thử")
    Activity.objects.create(
        title="Hoạt động dự kiến nội bộ", content_area=area, lead_organization=org, program=program,
        status=Activity.Status.PLANNED, start_date=dt.date(2019, 7, 15), end_date=dt.date(2019, 7, 15),
    )
    return {"org": org, "member": member, "national": national, "local": local, "public": public}


HIDDEN = ("Ngày giải phóng riêng của Ban", "Chủ đề nội bộ", "Quyết tâm nội bộ", "Giao ban nội bộ kín",
          "Hoạt động dự kiến nội bộ", "Hạn gửi báo cáo")


def test_a_visitor_sees_the_month_with_national_days_and_public_events_only(world):
    response = Client().get(JULY_2019)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày Thương binh - Liệt sĩ thử" in html
    assert "Lễ ký kết công khai" in html
    for text in HIDDEN:
        assert text not in html, text
    # The event's page needs a login: the visitor gets no link that would send them there.
    assert reverse("programs:event", args=[world["public"].pk]) not in html
    # Pages that need a login are not offered in the calendar's own menu.
    assert reverse("almanac:themes") not in html and reverse("almanac:focus") not in html


def test_a_member_still_sees_the_organisations_own_items(world):
    client = Client()
    client.force_login(world["member"])
    html = client.get(JULY_2019).content.decode()
    for text in ("Ngày giải phóng riêng của Ban", "Giao ban nội bộ kín", "Hoạt động dự kiến nội bộ",
                 "Hạn gửi báo cáo", "Lễ ký kết công khai", "Ngày Thương binh - Liệt sĩ thử"):
        assert text in html, text
    assert reverse("programs:event", args=[world["public"].pk]) in html


def test_the_current_month_is_public(world):
    response = Client().get(reverse("almanac:month_current"))
    assert response.status_code == 200
    assert 'class="month"' in response.content.decode()


def test_a_visitor_cannot_ask_for_an_organisations_calendar(world):
    assert Client().get(JULY_2019 + f"?org={world['org'].pk}").status_code == 404


def test_a_visitor_sees_the_national_commemorations_without_local_days_or_edit_links(world):
    response = Client().get(reverse("almanac:commemorations"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày Thương binh - Liệt sĩ thử" in html
    assert "Ngày giải phóng riêng của Ban" not in html
    assert reverse("almanac:commemoration_add") not in html
    assert reverse("almanac:commemoration_edit", args=[world["local"].pk]) not in html
    # Filtering on the local scope shows nothing either.
    html = Client().get(reverse("almanac:commemorations") + "?scope=local").content.decode()
    assert "Ngày giải phóng riêng của Ban" not in html


def test_a_member_sees_local_days_in_the_list(world):
    client = Client()
    client.force_login(world["member"])
    html = client.get(reverse("almanac:commemorations")).content.decode()
    assert "Ngày giải phóng riêng của Ban" in html and "Ngày Thương binh - Liệt sĩ thử" in html


@pytest.mark.parametrize("name,args", [
    ("almanac:commemoration_add", []), ("almanac:theme_add", []), ("almanac:themes", []), ("almanac:focus", []),
    ("almanac:commemoration_edit", ["local"]),
])
def test_writing_and_private_pages_still_need_a_login(world, name, args):
    url = reverse(name, args=[world[a].pk for a in args])
    before = Commemoration.objects.count()
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().post(url, {"name": "x"}).status_code == 302
    assert Commemoration.objects.count() == before


def test_feeds_keep_their_own_rules(world):
    response = Client().get(reverse("almanac:organization_feed", args=[world["org"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
