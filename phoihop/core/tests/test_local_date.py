"""'Today' is the date in Việt Nam (Asia/Ho_Chi_Minh, UTC+7), not the server's or UTC's.

Between 17:00 and 24:00 UTC the UTC date is a day behind. The clock is pinned by patching
`django.utils.timezone.now`, which `timezone.localdate()` / `localtime()` read; `datetime.date.today()`
would ignore the patch and answer the machine's date, so these tests also fail if it comes back.
"""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from phoihop import factories as f
from phoihop.accounts.models import ApiToken

# 31/12/2026 18:00 UTC is 01/01/2027 01:00 in Việt Nam.
NEW_YEAR_UTC = dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC)
NEW_YEAR_VN = dt.date(2027, 1, 1)


@pytest.fixture
def new_year_night():
    with mock.patch("django.utils.timezone.now", return_value=NEW_YEAR_UTC):
        assert timezone.localdate() == NEW_YEAR_VN
        yield


def test_the_calendar_page_marks_the_vietnamese_today(client, viewer, new_year_night):
    client.force_login(viewer)
    response = client.get("/lich/")
    assert response.status_code == 200
    assert (response.context["year"], response.context["month"]) == (2027, 1)
    today = [cell["date"] for week in response.context["weeks"] for cell in week if cell["is_today"]]
    assert today == [NEW_YEAR_VN]


def test_the_calendar_window_starts_on_the_vietnamese_today(new_year_night):
    from phoihop.almanac.forms import WindowForm, YearThemeForm

    assert WindowForm({}).window(default_days=60) == (NEW_YEAR_VN, NEW_YEAR_VN + dt.timedelta(days=60))
    assert YearThemeForm().initial["year"] == 2027


def test_organisations_default_to_the_vietnamese_today(client, viewer, new_year_night):
    """An organisation founded on 01/01/2027 is in the tree at 01:00 that day, page and API."""
    from phoihop.organizations.forms import AsOfForm

    founded = f.OrganizationFactory(name="Hội Thử thành lập năm mới", valid_from=NEW_YEAR_VN)
    assert AsOfForm({}).as_of_date() == NEW_YEAR_VN
    client.force_login(viewer)
    page = client.get("/to-chuc/")
    assert page.context["day"] == NEW_YEAR_VN
    assert founded.pk in {node.organization.pk for node in page.context["nodes"]}
    _token, raw = ApiToken.issue(viewer)
    api = client.get("/api/organizations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    assert founded.pk in {row["id"] for row in api.json()}


def test_reopening_until_yesterday_in_vietnam_is_refused(new_year_night):
    from phoihop.reporting.forms import ReopenForm

    late = ReopenForm({"until": "31/12/2026", "reason": "Bổ sung số liệu"})
    assert not late.is_valid() and "until" in late.errors
    assert ReopenForm({"until": "01/01/2027", "reason": "Bổ sung số liệu"}).is_valid()


def test_a_backup_is_named_by_the_time_in_vietnam(new_year_night):
    from phoihop.operations.backup import default_filename

    assert default_filename() == "phoihop-20270101-010000.tar.gz"


def test_the_current_period_follows_the_vietnamese_date(client, reporter, org_a):
    """From the 15th a day belongs to next month's Decree 09 period: at 14/03 17:30 UTC it is
    already 15/03 in Việt Nam, so the latest period on "my periods" is 2027-04 (a month owed under
    a program in force)."""
    program = f.ProgramFactory(status="in_force", start=dt.date(2026, 1, 1), end=dt.date(2030, 12, 31))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2027, 3, 14, 17, 30, tzinfo=dt.UTC)):
        client.force_login(reporter)
        response = client.get("/bao-cao/")
    assert response.status_code == 200
    assert response.context["today"] == dt.date(2027, 3, 15)
    codes = [row.period.code for row in response.context["tables"][0]["rows"]]
    assert codes[0] == "2027-04"
