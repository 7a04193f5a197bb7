"""Who opens which dashboard: anonymous → login, each role → 200 or 403, nobody sees another
organisation's unapproved figures or reports."""

import re

import pytest

from phoihop import factories as f
from phoihop.audit import workflow

from .conftest import save

pytestmark = pytest.mark.django_db

REPORTER = "/bang-dieu-khien/bao-cao-vien/"
OFFICE = "/bang-dieu-khien/thuong-truc/"
LEADER = "/bang-dieu-khien/lanh-dao/"

EXPECTED = {
    #            sysadmin manager approver reporter viewer outsider
    REPORTER: (200, 200, 200, 200, 403, 200),
    OFFICE: (200, 200, 200, 403, 403, 403),
    LEADER: (200, 200, 200, 200, 200, 200),
}
ROLES = ["sysadmin", "manager", "approver", "reporter", "viewer", "outsider"]


@pytest.mark.parametrize("path", [REPORTER, OFFICE, LEADER, "/bang-dieu-khien/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


@pytest.mark.parametrize("path", [REPORTER, OFFICE, LEADER])
def test_each_role_opens_its_dashboards_and_no_other(client, people, program, path):
    for role, expected in zip(ROLES, EXPECTED[path], strict=True):
        client.force_login(people[role])
        assert client.get(path).status_code == expected, role


@pytest.mark.parametrize(("role", "target"), [
    ("sysadmin", "thuong-truc"), ("manager", "thuong-truc"), ("approver", "thuong-truc"),
    ("reporter", "bao-cao-vien"), ("outsider", "bao-cao-vien"), ("viewer", "lanh-dao"),
])
def test_the_dashboard_address_leads_to_the_most_relevant_one(client, people, role, target):
    client.force_login(people[role])
    response = client.get("/bang-dieu-khien/")
    assert response.status_code == 302 and response["Location"] == f"/bang-dieu-khien/{target}/"


def test_a_viewer_is_told_in_vietnamese_why_the_office_dashboard_is_closed(client, viewer):
    client.force_login(viewer)
    response = client.get(OFFICE)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_another_organisations_private_program_is_not_found(client, outsider, draft_program):
    client.force_login(outsider)
    assert client.get(f"{LEADER}?program={draft_program.code}").status_code == 404


def _text(response) -> str:
    """The page without its inline pictures (base64 may contain any digits)."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", response.content.decode())


def test_an_outsider_never_sees_org_a_unapproved_figures(client, outsider, figures):
    client.force_login(outsider)
    for query in ("", "&draft=1"):
        response = client.get(f"{LEADER}?program=ct-dash&indicator=gratitude_houses{query}")
        html = _text(response)
        assert response.status_code == 200
        assert not response.context["draft"]
        assert "777" not in html and "782" not in html  # org_a's draft, alone or in org_a's figure
        assert "2.571" not in html  # nor in the total (1.239 approved + 777 + 555)
        assert "1.239" in html
        assert "BẢN NHÁP" not in html
    assert response.context["draft_refused"]
    assert 'name="draft"' not in html  # no toggle offered


def test_the_standing_office_may_see_the_draft_clearly_marked(client, manager, figures):
    client.force_login(manager)
    approved_only = client.get(f"{LEADER}?program=ct-dash&indicator=gratitude_houses").context["figures"]
    assert approved_only.indicator_total.value == 1239
    response = client.get(f"{LEADER}?program=ct-dash&indicator=gratitude_houses&draft=1")
    html = _text(response)
    assert response.context["draft"]
    assert response.context["figures"].indicator_total.value == 1239 + 777 + 555
    assert "BẢN NHÁP" in html and "gồm số liệu chưa duyệt" in html


def test_a_party_that_does_not_supervise_every_party_gets_no_draft(client, org_b, program, figures):
    approver_b = f.UserFactory(username="duyet_b")
    f.MembershipFactory(user=approver_b, organization=org_b, role="approver")
    client.force_login(approver_b)
    response = client.get(f"{LEADER}?program=ct-dash&draft=1")
    assert not response.context["draft"] and not response.context["may_draft"]


def test_the_heat_map_covers_only_the_organisations_the_user_supervises(client, org_a, org_b, manager, program, figures):
    approver_b = f.UserFactory(username="duyet_b")
    f.MembershipFactory(user=approver_b, organization=org_b, role="approver")
    client.force_login(approver_b)
    rows = client.get(f"{OFFICE}?nam=2019").context["matrix"]
    assert [r.organization for r in rows] == [org_b]
    client.force_login(manager)  # the standing office of the program's committee
    rows = client.get(f"{OFFICE}?nam=2019").context["matrix"]
    assert {r.organization for r in rows} == {org_a, org_b}


def test_the_office_sees_states_completeness_timeliness_and_the_queue(client, manager, org_a, org_b, figures):
    client.force_login(manager)
    response = client.get(f"{OFFICE}?nam=2019")
    html = response.content.decode()
    rows = {r.organization: r for r in response.context["matrix"]}
    by_code = {c.code: c for c in rows[org_a].cells}
    assert by_code["2019-07"].status_code == "approved" and by_code["2019-09"].status_code == "draft"
    assert by_code["2019-09"].late  # a draft long after its deadline
    assert rows[org_a].completeness == round(100 * 2 / 12)  # two months approved out of twelve
    assert [(s.organization, s.period.code) for s in response.context["queue"]] == [(org_b, "2019-10")]
    assert "Xem và duyệt" in html and "Đầy đủ" in html and "Đúng hạn" in html
    missing = {org.pk: codes for line in response.context["missing"] for org, codes in line.organizations}
    assert "2019-07" not in missing[org_a.pk] and "2019-09" in missing[org_a.pk]  # from aggregation.missing_reports


def test_with_no_recent_report_the_heat_map_shows_the_latest_year_with_reports(client, manager, figures):
    client.force_login(manager)
    response = client.get(OFFICE)
    assert response.context["fallback"] and response.context["year"] == 2019
    assert "năm gần nhất có báo cáo" in response.content.decode()


def test_a_reporter_sees_returned_reports_with_their_reason(client, reporter, outsider, org_a, program):
    from phoihop.reporting.models import SubmissionStatus

    submission = save(org_a, "2019-07", gratitude_houses="4")
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.RETURNED, "Thiếu ghi chú nguồn số liệu nhà tình nghĩa")
    client.force_login(reporter)
    html = client.get(REPORTER).content.decode()
    assert "Thiếu ghi chú nguồn số liệu nhà tình nghĩa" in html and "Sửa và gửi lại" in html
    assert "Tháng 7/2019" in html  # among the recent periods too (its last report)
    client.force_login(outsider)
    assert "Thiếu ghi chú nguồn" not in client.get(REPORTER).content.decode()


def test_dashboards_are_printable(client, manager, figures):
    client.force_login(manager)
    html = client.get(f"{LEADER}?program=ct-dash").content.decode()
    assert "data-print" in html and 'class="filters no-print"' in html
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/phoihop.css").read_text()
    assert "@media print" in css and "size:A4" in css
