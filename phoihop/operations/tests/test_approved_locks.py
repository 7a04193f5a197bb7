"""Issues 8 and 12: approved values cannot be changed by any route, the admin included, without
reopening (recorded).

Each route tries to change a value of an approved report: the admin (DataValue change form, and
the activity figures inline of ActivityAdmin), the activity pages, the entry grid, the Excel
import and the API. All are refused and the value stays. After `services.reopen(...)` the same
save goes through (the DataValue admin stays read-only on purpose: values change only through
grid, Excel and API), and the reopening is in the audit log with its reason. Every activity
door, case by case: phoihop/reporting/tests/test_activity_doors.py.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from phoihop.accounts.models import ApiToken
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import history_for
from phoihop.programs.models import ContentArea
from phoihop.reporting import excel, services
from phoihop.reporting.models import Activity, ActivityValue, DataValue, Indicator
from phoihop.reporting.tests import worlds
from phoihop.reporting.tests.test_excel_helpers import fill

pytestmark = pytest.mark.django_db

REASON = "Bổ sung số liệu nhà tình nghĩa quý I"


@pytest.fixture
def approved(org_a, reporter, approver, manager):
    """org_a's report of the current month (open for entry), approved; an activity of org_a
    ending in that month."""
    program, period = worlds.current_month_with_a_value(org_a, reporter, "ct-khoa")
    activity = Activity.objects.create(
        title="Xây nhà tình nghĩa", content_area=ContentArea.objects.get(code="gratitude"), lead_organization=org_a,
        program=program, start_date=timezone.localdate(), end_date=timezone.localdate(), participants=12,
    )
    figure = ActivityValue.objects.create(activity=activity, indicator=Indicator.objects.get(code="gratitude_gifts"), value=Decimal(5))
    submission = worlds.send_and_approve(org_a, period, reporter, approver)
    value = DataValue.objects.get(organization=org_a, period=period, indicator__code="gratitude_houses")
    return {"program": program, "period": period, "submission": submission, "value": value,
            "activity": activity, "figure": figure}


def _stored(ctx) -> Decimal:
    return DataValue.objects.get(pk=ctx["value"].pk).value


def _reopen(ctx, manager):
    with acting_as(manager):
        services.reopen(ctx["submission"], manager, timezone.localdate() + dt.timedelta(days=7), REASON)


def _assert_reopening_recorded(ctx, manager):
    entry = history_for(ctx["submission"]).filter(action=AuditEntry.Action.TRANSITION).order_by("-at", "-id").first()
    assert entry.changes == {"status": ["approved", "reopened"]}
    assert REASON in entry.note and entry.actor == manager


# ---------------------------------------------------------------- the admin

def test_the_admin_refuses_to_change_an_approved_data_value(client, approved, sysadmin, manager):
    value = approved["value"]
    url = f"/quan-tri/reporting/datavalue/{value.pk}/change/"
    client.force_login(sysadmin)
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content  # shown read-only
    body = {"organization": value.organization_id, "indicator": value.indicator_id, "period": value.period_id,
            "value": "99", "text_value": "", "comment": "", "version": value.version}
    assert client.post(url, body).status_code == 403
    assert client.post(f"/quan-tri/reporting/datavalue/{value.pk}/delete/", {"post": "yes"}).status_code == 403
    assert _stored(approved) == 3
    _reopen(approved, manager)
    # Still read-only after reopening: values change only through the grid, Excel and the API.
    assert client.post(url, body).status_code == 403
    assert _stored(approved) == 3
    _assert_reopening_recorded(approved, manager)


def _activity_form(activity, figure, new_value) -> dict:
    return {
        "title": activity.title, "program": activity.program_id, "content_area": activity.content_area_id,
        "lead_organization": activity.lead_organization_id, "status": activity.status,
        "start_date": activity.start_date.strftime("%d/%m/%Y"), "end_date": activity.end_date.strftime("%d/%m/%Y"),
        "place_text": "", "participants": "12", "funds_spent": "", "funds_mobilised": "", "result": "",
        "values-TOTAL_FORMS": "1", "values-INITIAL_FORMS": "1", "values-MIN_NUM_FORMS": "0", "values-MAX_NUM_FORMS": "1000",
        "values-0-id": figure.pk, "values-0-activity": activity.pk, "values-0-indicator": figure.indicator_id,
        "values-0-value": new_value, "_save": "Lưu",
    }


def test_the_admin_activity_inline_refuses_an_approved_figure(client, approved, sysadmin, manager):
    activity, figure = approved["activity"], approved["figure"]
    url = f"/quan-tri/reporting/activity/{activity.pk}/change/"
    client.force_login(sysadmin)
    refused = client.post(url, _activity_form(activity, figure, "77"))
    # The same form again, the typed figure kept, with the reason; nothing saved.
    assert refused.status_code == 422
    assert "đã được duyệt" in " ".join(refused.context["adminform"].form.non_field_errors())
    assert 'value="77"' in refused.content.decode()
    figure.refresh_from_db()
    assert figure.value == 5
    _reopen(approved, manager)
    saved = client.post(url, _activity_form(activity, figure, "77"))
    assert saved.status_code == 302, saved.content[:500]
    figure.refresh_from_db()
    assert figure.value == 77
    _assert_reopening_recorded(approved, manager)


# ---------------------------------------------------------------- the activity pages (not the admin)

def _activity_page_form(activity, **changes) -> dict:
    body = {"title": activity.title, "program": activity.program_id, "content_area": activity.content_area_id,
            "lead_organization": activity.lead_organization_id, "status": activity.status,
            "start_date": activity.start_date.strftime("%d/%m/%Y"), "end_date": activity.end_date.strftime("%d/%m/%Y"),
            "participants": "12", "place_text": "", "funds_spent": "", "funds_mobilised": "", "result": ""}
    return {**body, **changes}


def test_the_activity_pages_refuse_to_change_an_approved_month(client, approved, reporter, manager):
    activity = approved["activity"]
    client.force_login(reporter)
    edit = client.post(f"/bao-cao/hoat-dong/{activity.pk}/sua/", _activity_page_form(activity, participants="999"))
    add = client.post("/bao-cao/hoat-dong/them/", _activity_page_form(activity, title="Hoạt động thêm vào tháng đã duyệt"))
    activity.refresh_from_db()
    assert (edit.status_code, add.status_code) == (422, 422)
    assert "đã được duyệt" in edit.content.decode() and "đã được duyệt" in add.content.decode()
    assert activity.participants == 12
    assert not Activity.objects.filter(title="Hoạt động thêm vào tháng đã duyệt").exists()
    _reopen(approved, manager)
    assert client.post(f"/bao-cao/hoat-dong/{activity.pk}/sua/", _activity_page_form(activity, participants="999")).status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 999
    _assert_reopening_recorded(approved, manager)


# ---------------------------------------------------------------- the entry grid, Excel, the API

def _grid_post(client, ctx, user, value):
    client.force_login(user)
    key = f"{ctx['value'].indicator_id}:0"
    current = DataValue.objects.get(pk=ctx["value"].pk)
    url = f"/bao-cao/{current.organization_id}/{ctx['period'].code}/"
    return client.post(url, {f"v-{key}": value, f"ver-{key}": current.version, "action": "save"})


def test_the_entry_grid_refuses_then_saves_after_reopening(client, approved, reporter, manager):
    refused = _grid_post(client, approved, reporter, "9")
    assert refused.status_code == 422
    assert "đã được duyệt" in refused.content.decode()
    assert _stored(approved) == 3
    _reopen(approved, manager)
    assert _grid_post(client, approved, reporter, "9").status_code == 302
    assert _stored(approved) == 9
    assert history_for(approved["value"]).filter(action="update").first().actor == reporter
    _assert_reopening_recorded(approved, manager)


def test_the_excel_import_refuses_then_saves_after_reopening(approved, org_a, reporter, manager):
    workbook = fill(excel.build_template(org_a, approved["period"]), {"gratitude_houses": 9})
    with acting_as(reporter):
        refused = excel.import_workbook(workbook, reporter)
    assert not refused.ok and refused.saved == 0
    assert any("đã được duyệt" in p.reason for p in refused.problems)
    assert _stored(approved) == 3
    _reopen(approved, manager)
    workbook = fill(excel.build_template(org_a, approved["period"]), {"gratitude_houses": 9})
    with acting_as(reporter):
        saved = excel.import_workbook(workbook, reporter)
    assert saved.ok and saved.saved == 1
    assert _stored(approved) == 9
    _assert_reopening_recorded(approved, manager)


def _api_post(client, ctx, user, value):
    _token, raw = ApiToken.issue(user)
    rows = [{"organization": ctx["value"].organization_id, "indicator": "gratitude_houses",
             "period": ctx["period"].code, "value": value}]
    return client.post("/api/datavalues", json.dumps(rows), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_refuses_then_saves_after_reopening(client, approved, reporter, manager):
    refused = _api_post(client, approved, reporter, 9)
    assert refused.status_code == 422
    assert "đã được duyệt" in json.dumps(refused.json(), ensure_ascii=False)
    assert _stored(approved) == 3
    _reopen(approved, manager)
    saved = _api_post(client, approved, reporter, 9)
    assert saved.status_code == 200 and saved.json() == {"saved": 1, "unchanged": 0}
    assert _stored(approved) == 9
    _assert_reopening_recorded(approved, manager)


def test_the_approver_and_the_system_administrator_are_refused_too(client, approved, approver, sysadmin):
    """Higher roles get no way around the lock: the grid and the API refuse them as well."""
    for user in (approver, sysadmin):
        assert _grid_post(client, approved, user, "8").status_code == 422
        assert _api_post(client, approved, user, 8).status_code == 422
    assert _stored(approved) == 3
