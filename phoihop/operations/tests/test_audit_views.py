"""The administrators' audit pages (/quan-tri-he-thong/): logins and approvals, filters, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import include, path, reverse
from django.utils import timezone

from phoihop import factories as f
from phoihop.audit.context import acting_as
from phoihop.conftest import PASSWORD
from phoihop.operations.models import LoginEvent
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting import bulk, periods, services
from phoihop.urls import urlpatterns as project_patterns

# Until the project's urls.py includes this app, the tests mount it themselves.
urlpatterns = [*project_patterns]
if not any(getattr(p, "namespace", None) == "operations" for p in project_patterns):
    urlpatterns.append(path("quan-tri-he-thong/", include("phoihop.operations.urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ROLES = ["sysadmin", "manager", "approver", "reporter", "viewer", "outsider"]
ROUTES = ["operations:index", "operations:logins", "operations:approvals"]


@pytest.mark.parametrize("name", ROUTES)
def test_only_system_administrators_see_the_audit_pages(client, people, name):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/tai-khoan/dang-nhap/?next=")
    for role in ROLES:
        client.force_login(people[role])
        assert client.get(url).status_code == (200 if role == "sysadmin" else 403), role
        client.logout()


def test_the_login_log_lists_and_filters(client, sysadmin, viewer):
    for ip, password in (("203.0.113.77", "sai"), ("198.51.100.5", PASSWORD)):
        client.post("/tai-khoan/dang-nhap/", {"username": "viewer", "password": password}, REMOTE_ADDR=ip)
        client.logout()
    LoginEvent.objects.create(kind="login", success=True, username="cu", at=timezone.now() - dt.timedelta(days=40))
    client.force_login(sysadmin)
    url = reverse("operations:logins")
    page = client.get(url).content.decode()
    assert "203.0.113.0/24" in page and "198.51.100.0/24" in page
    assert "203.0.113.77" not in page
    failed = client.get(url, {"su_kien": "loi"}).content.decode()
    assert "203.0.113.0/24" in failed and "198.51.100.0/24" not in failed
    by_address = client.get(url, {"ip": "198.51.100.5"}).content.decode()
    assert "198.51.100.0/24" in by_address and "203.0.113.0/24" not in by_address
    assert "không phải là một địa chỉ IP" in client.get(url, {"ip": "abc"}).content.decode()
    recent = client.get(url, {"tu": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")}).content.decode()
    assert ">cu<" not in recent and "viewer" in recent
    assert "không hợp lệ" in client.get(url, {"tu": "31/02/2026"}).content.decode()
    assert "viewer" not in client.get(url, {"ten": "cu"}).content.decode()


@pytest.fixture
def workflow(org_a, org_b, reporter, approver, manager):
    program = f.ProgramFactory(code="ct-nhat-ky", start=dt.date(2019, 1, 1), end=None)
    f.PartyFactory(program=program, organization=org_a, role="lead")
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude"]))
    SteeringCommittee.objects.create(name="BCĐ thử", standing_office=org_a).programs.add(program)
    period = services.get_period(periods.covering(timezone.localdate(), periods.QUARTER), services.convention_for(org_a))
    submission = services.submission_for(org_a, period)
    with acting_as(reporter):
        bulk.save_values(org_a, period, reporter, [services.CellInput("gratitude_houses", "2")])
        services.submit(submission, reporter)
    with acting_as(approver):
        services.return_for_changes(submission, approver, "Thiếu số nhà bàn giao")
    with acting_as(reporter):
        services.submit(submission, reporter)
    with acting_as(approver):
        services.approve(submission, approver)
    with acting_as(manager):
        services.reopen(submission, manager, timezone.localdate() + dt.timedelta(days=3), "Bổ sung theo đề nghị")
    return {"period": period, "submission": submission}


def test_the_approval_log_shows_every_step_with_who_and_why(client, sysadmin, workflow, org_a, org_b):
    client.force_login(sysadmin)
    url = reverse("operations:approvals")
    page = client.get(url).content.decode()
    for text in ("Thiếu số nhà bàn giao", "Bổ sung theo đề nghị", "approver", "manager", "reporter", workflow["period"].label):
        assert text in page
    assert reverse("reporting:grid", args=[org_a.pk, workflow["period"].code]) in page
    approved_only = client.get(url, {"buoc": "approved"}).content.decode()
    assert approved_only.count('class="step-approved"') == 1 and 'class="step-returned"' not in approved_only
    assert client.get(url, {"buoc": "returned"}).content.decode().count('class="step-returned"') == 1
    assert client.get(url, {"buoc": "reopened"}).content.decode().count('class="step-reopened"') == 1
    assert 'class="step-' not in client.get(url, {"to_chuc": org_b.pk}).content.decode()
    assert client.get(url, {"to_chuc": org_a.pk}).content.decode().count('class="step-') == 5
    assert client.get(url, {"nguoi": "approver"}).content.decode().count('class="step-') == 2


def test_the_overview_counts_and_lists_locked_accounts(client, sysadmin, viewer):
    for i in range(5):
        client.post("/tai-khoan/dang-nhap/", {"username": "viewer", "password": f"sai-{i}"}, REMOTE_ADDR="203.0.113.40")
    client.force_login(sysadmin)
    page = client.get(reverse("operations:index")).content.decode()
    assert "Đang bị chặn đăng nhập" in page and "viewer" in page and "203.0.113.0/24" in page
    assert "203.0.113.40" not in page
