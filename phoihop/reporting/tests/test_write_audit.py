"""Issue 13: every write path of reporting leaves audit entries that name the object written and
the person (or command) who wrote it — values through the entry page, the API's bulk save, the
Excel upload page and `phoihop import`; activities created, changed and deleted through the
pages, the API and the admin; targets through the page, its Excel upload, the API and the admin;
reports sent, approved, returned and reopened through the pages, the API and the admin action.

Each path is one parametrised case: it writes through its door (and checks the door said yes),
then answers the objects it wrote and who wrote them; every one of them must have an entry of
this write with that actor, and no entry of the write may be anonymous.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.programs.models import ContentArea
from phoihop.reporting import excel, services
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Indicator,
    Submission,
    SubmissionStatus,
    Target,
)
from phoihop.reporting.tests import worlds
from phoihop.reporting.tests.test_excel_helpers import fill
from phoihop.reporting.tests.worlds import auth as _bearer

pytestmark = pytest.mark.django_db

HOUSES = "gratitude_houses"
COMMAND = "phoihop import"


@pytest.fixture
def world(org_a, reporter, approver, manager, sysadmin):
    """org_a leads a program (its standing office too: the manager reopens and sets targets); in
    the current month the reporter entered gratitude_houses = 3, and a done activity with a figure."""
    program, period = worlds.current_month_with_a_value(org_a, reporter, "ct-audit")
    day = timezone.localdate()
    area = ContentArea.objects.get(code="gratitude")
    with acting_as(reporter):
        activity = Activity.objects.create(title="Xây nhà tình nghĩa", content_area=area, lead_organization=org_a,
                                           program=program, status=Activity.Status.DONE, start_date=day, end_date=day,
                                           participants=12)
        ActivityValue.objects.create(activity=activity, indicator=Indicator.objects.get(code="gratitude_gifts"), value=Decimal(5))
    return {"org": org_a, "period": period, "program": program, "area": area, "day": day, "activity": activity,
            "reporter": reporter, "approver": approver, "manager": manager, "sysadmin": sysadmin,
            "houses": Indicator.objects.get(code=HOUSES)}


def _value(w, code=HOUSES, option=None) -> DataValue:
    return DataValue.objects.get(organization=w["org"], period=w["period"], indicator__code=code, option__code=option)


def _submission(w) -> Submission:
    return Submission.objects.get(organization=w["org"], period=w["period"])


def _sent(w) -> Submission:
    submission = services.submission_for(w["org"], w["period"])
    with acting_as(w["reporter"]):
        services.submit(submission, w["reporter"])
    return _submission(w)


# ---------------------------------------------------------------- values

def values_page(client, w):
    client.force_login(w["reporter"])
    response = client.post(f"/bao-cao/{w['org'].pk}/{w['period'].code}/", {"action": "save", f"v-{w['houses'].pk}:0": "7"})
    assert response.status_code == 302
    return [_value(w)], w["reporter"]


def values_api_bulk(client, w):
    rows = [{"organization": w["org"].pk, "period": w["period"].code, "indicator": HOUSES, "value": 7},
            {"organization": w["org"].pk, "period": w["period"].code, "indicator": "gratitude_gifts",
             "disaggregation": "ho_ngheo", "value": "2"}]
    response = client.post("/api/datavalues", json.dumps(rows), content_type="application/json", **_bearer(w["reporter"]))
    assert response.status_code == 200, response.content
    return [_value(w), _value(w, "gratitude_gifts", "ho_ngheo")], w["reporter"]


def _filled_template(w) -> bytes:
    return fill(excel.build_template(w["org"], w["period"]), {HOUSES: 7, "recruit_called": 40})


def values_excel_page(client, w):
    client.force_login(w["reporter"])
    response = client.post(f"/bao-cao/excel/{w['org'].pk}/", {"file": SimpleUploadedFile("so-lieu.xlsx", _filled_template(w))})
    assert response.status_code in (200, 302), response.status_code
    assert _value(w).value == 7
    return [_value(w), _value(w, "recruit_called")], w["reporter"]


def values_import_command(client, w, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(_filled_template(w))
    call_command("import", str(path), stdout=io.StringIO())
    return [_value(w), _value(w, "recruit_called")], COMMAND


# ---------------------------------------------------------------- activities

def _activity_form(w, title="Tặng quà gia đình chính sách", participants=20) -> dict:
    day = w["day"].strftime("%d/%m/%Y")
    return {"title": title, "program": w["program"].pk, "content_area": w["area"].pk, "lead_organization": w["org"].pk,
            "status": "done", "start_date": day, "end_date": day, "participants": participants, "place_text": "",
            "funds_spent": "", "funds_mobilised": "", "result": ""}


def activity_page_create(client, w):
    client.force_login(w["reporter"])
    assert client.post("/bao-cao/hoat-dong/them/", _activity_form(w, "Hoạt động mới")).status_code == 302
    return [Activity.objects.get(title="Hoạt động mới")], w["reporter"]


def activity_page_update(client, w):
    client.force_login(w["reporter"])
    activity = w["activity"]
    assert client.post(f"/bao-cao/hoat-dong/{activity.pk}/sua/", _activity_form(w, activity.title, 30)).status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 30
    return [activity], w["reporter"]


def _activity_json(w, title, participants=20, figure="7") -> str:
    return json.dumps({"title": title, "program": w["program"].code, "content_area": w["area"].code,
                       "lead_organization": w["org"].pk, "status": "done", "start_date": w["day"].isoformat(),
                       "end_date": w["day"].isoformat(), "participants": participants,
                       "values": [{"indicator": "gratitude_houses", "value": figure}]})


def activity_api_create(client, w):
    response = client.post("/api/activities", _activity_json(w, "Hoạt động qua API"), content_type="application/json",
                           **_bearer(w["reporter"]))
    assert response.status_code in (200, 201), response.content
    activity = Activity.objects.get(title="Hoạt động qua API")
    return [activity, *activity.values.all()], w["reporter"]


def activity_api_update(client, w):
    activity = w["activity"]
    response = client.put(f"/api/activities/{activity.pk}", _activity_json(w, activity.title, 31, "9"),
                          content_type="application/json", **_bearer(w["reporter"]))
    assert response.status_code == 200, response.content
    return [activity, *activity.values.all()], w["reporter"]


def activity_api_delete(client, w):
    activity = w["activity"]
    figures = list(activity.values.all())
    response = client.delete(f"/api/activities/{activity.pk}", **_bearer(w["reporter"]))
    assert response.status_code in (200, 204), response.content
    assert not Activity.objects.filter(pk=activity.pk).exists()
    return [activity, *figures], w["reporter"]


ADMIN = "/quan-tri/reporting/activity/"


def _admin_activity(w, title, activity=None, participants=20) -> dict:
    body = {**_activity_form(w, title, participants), "plan": "", "place": "", "_save": "Lưu"}
    figures = list(activity.values.all()) if activity else []
    body.update({"values-TOTAL_FORMS": str(len(figures)), "values-INITIAL_FORMS": str(len(figures)),
                 "values-MIN_NUM_FORMS": "0", "values-MAX_NUM_FORMS": "1000"})
    for n, figure in enumerate(figures):
        body.update({f"values-{n}-id": figure.pk, f"values-{n}-activity": activity.pk,
                     f"values-{n}-indicator": figure.indicator_id, f"values-{n}-value": str(figure.value + 1)})
    return body


def activity_admin_create(client, w):
    client.force_login(w["sysadmin"])
    response = client.post(f"{ADMIN}add/", _admin_activity(w, "Hoạt động trong quản trị"))
    assert response.status_code == 302, response.content[:2000]
    return [Activity.objects.get(title="Hoạt động trong quản trị")], w["sysadmin"]


def activity_admin_update(client, w):
    client.force_login(w["sysadmin"])
    activity = w["activity"]
    response = client.post(f"{ADMIN}{activity.pk}/change/", _admin_activity(w, activity.title, activity, 40))
    assert response.status_code == 302, response.content[:2000]
    return [activity, *activity.values.all()], w["sysadmin"]


def activity_admin_delete(client, w):
    client.force_login(w["sysadmin"])
    activity = w["activity"]
    figures = list(activity.values.all())
    assert client.post(f"{ADMIN}{activity.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    return [activity, *figures], w["sysadmin"]


# ---------------------------------------------------------------- targets

def _target(w) -> Target:
    return Target.objects.get(program=w["program"], organization=w["org"], indicator__code=HOUSES, year=w["day"].year)


def targets_page(client, w):
    client.force_login(w["manager"])
    response = client.post(f"/bao-cao/chi-tieu/{w['program'].code}/?nam={w['day'].year}", {f"t-{w['org'].pk}-{w['houses'].pk}": "1.200"})
    assert response.status_code == 302
    return [_target(w)], w["manager"]


def targets_excel_page(client, w):
    client.force_login(w["manager"])
    url = f"/bao-cao/chi-tieu/{w['program'].code}/"
    content = client.get(f"{url}excel/?nam={w['day'].year}").content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Chỉ tiêu"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == HOUSES)
    ws[f"D{row}"] = 15
    out = io.BytesIO()
    wb.save(out)
    response = client.post(f"{url}?nam={w['day'].year}", {"file": SimpleUploadedFile("chi-tieu.xlsx", out.getvalue())})
    assert response.status_code == 302, response.content[:2000]
    return [_target(w)], w["manager"]


def targets_api(client, w):
    body = [{"program": w["program"].code, "organization": w["org"].pk, "indicator": HOUSES, "year": w["day"].year, "value": 25}]
    response = client.put("/api/targets", json.dumps(body), content_type="application/json", **_bearer(w["manager"]))
    assert response.status_code == 200, response.content
    return [_target(w)], w["manager"]


def targets_admin(client, w):
    client.force_login(w["sysadmin"])
    body = {"program": w["program"].pk, "organization": w["org"].pk, "indicator": w["houses"].pk, "year": w["day"].year, "value": "30"}
    assert client.post("/quan-tri/reporting/target/add/", body).status_code == 302
    target = _target(w)
    body["value"] = "35"
    assert client.post(f"/quan-tri/reporting/target/{target.pk}/change/", body).status_code == 302
    target.refresh_from_db()
    assert target.value == 35
    return [target], w["sysadmin"]


def targets_admin_delete(client, w):
    with acting_as(w["sysadmin"]):
        services.apply_targets([(w["program"], w["org"].pk, w["houses"].pk, w["day"].year, Decimal(8))], w["sysadmin"])
    target = _target(w)
    w["start"]()
    client.force_login(w["sysadmin"])
    assert client.post(f"/quan-tri/reporting/target/{target.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    return [target], w["sysadmin"]


# ---------------------------------------------------------------- reports

def _report_url(w, tail="") -> str:
    return f"/bao-cao/{w['org'].pk}/{w['period'].code}/{tail}"


def _api_report_url(w, verb) -> str:
    return f"/api/submissions/{w['org'].pk}/{w['period'].code}/{verb}"


def _moved_to(w, status) -> list:
    submission = _submission(w)
    assert submission.status == status
    return [submission]


def submit_page(client, w):
    client.force_login(w["reporter"])
    assert client.post(_report_url(w), {"action": "submit", f"v-{w['houses'].pk}:0": "3"}).status_code == 302
    return _moved_to(w, SubmissionStatus.SUBMITTED), w["reporter"]


def approve_page(client, w):
    _sent(w)
    w["start"]()
    client.force_login(w["approver"])
    assert client.post(_report_url(w, "duyet/")).status_code == 302
    return _moved_to(w, SubmissionStatus.APPROVED), w["approver"]


def return_page(client, w):
    _sent(w)
    w["start"]()
    client.force_login(w["approver"])
    assert client.post(_report_url(w, "tra-lai/"), {"reason": "Thiếu số liệu quà tặng"}).status_code == 302
    return _moved_to(w, SubmissionStatus.RETURNED), w["approver"]


def _until(w) -> dt.date:
    return w["day"] + dt.timedelta(days=7)


def reopen_page(client, w):
    worlds.send_and_approve(w["org"], w["period"], w["reporter"], w["approver"])
    w["start"]()
    client.force_login(w["manager"])
    response = client.post(_report_url(w, "mo-lai/"), {"until": _until(w).strftime("%d/%m/%Y"), "reason": "Bổ sung số liệu"})
    assert response.status_code == 302
    assert _submission(w).reopened_until == _until(w)
    return [_submission(w)], w["manager"]


def submit_api(client, w):
    assert client.post(_api_report_url(w, "submit"), **_bearer(w["reporter"])).status_code == 200
    return _moved_to(w, SubmissionStatus.SUBMITTED), w["reporter"]


def approve_api(client, w):
    _sent(w)
    w["start"]()
    assert client.post(_api_report_url(w, "approve"), **_bearer(w["approver"])).status_code == 200
    return _moved_to(w, SubmissionStatus.APPROVED), w["approver"]


def return_api(client, w):
    _sent(w)
    w["start"]()
    response = client.post(_api_report_url(w, "return"), json.dumps({"reason": "Thiếu số liệu quà tặng"}),
                           content_type="application/json", **_bearer(w["approver"]))
    assert response.status_code == 200, response.content
    return _moved_to(w, SubmissionStatus.RETURNED), w["approver"]


def reopen_api(client, w):
    worlds.send_and_approve(w["org"], w["period"], w["reporter"], w["approver"])
    w["start"]()
    response = client.post(_api_report_url(w, "reopen"), json.dumps({"until": _until(w).isoformat(), "reason": "Bổ sung số liệu"}),
                           content_type="application/json", **_bearer(w["manager"]))
    assert response.status_code == 200, response.content
    assert _submission(w).reopened_until == _until(w)
    return [_submission(w)], w["manager"]


def reopen_admin_action(client, w):
    submission = worlds.send_and_approve(w["org"], w["period"], w["reporter"], w["approver"])
    w["start"]()
    client.force_login(w["sysadmin"])
    response = client.post("/quan-tri/reporting/submission/", {
        "action": "reopen_submissions", helpers.ACTION_CHECKBOX_NAME: [submission.pk], "apply": "1",
        "until": _until(w).strftime("%d/%m/%Y"), "reason": "Bổ sung số liệu"})
    assert response.status_code == 302, response.content[:2000]
    assert _submission(w).reopened_until == _until(w)
    return [_submission(w)], w["sysadmin"]


PATHS = {f.__name__: f for f in [
    values_page, values_api_bulk, values_excel_page, values_import_command,
    activity_page_create, activity_page_update, activity_api_create, activity_api_update, activity_api_delete,
    activity_admin_create, activity_admin_update, activity_admin_delete,
    targets_page, targets_excel_page, targets_api, targets_admin, targets_admin_delete,
    submit_page, approve_page, return_page, reopen_page, submit_api, approve_api, return_api, reopen_api,
    reopen_admin_action,
]}


def _last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_write_path_leaves_audit_entries_naming_the_object_and_the_user(client, world, path, tmp_path):
    """A path that needs a state first (a report sent, a target stored) calls `start` when it
    is reached: only the entries of the door's own write count."""
    since = [_last_entry()]
    world["start"] = lambda: since.__setitem__(0, _last_entry())
    write = PATHS[path]
    written, actor = write(client, world, tmp_path) if path == "values_import_command" else write(client, world)
    assert written
    entries = list(AuditEntry.objects.filter(pk__gt=since[0]).select_related("content_type"))
    assert entries, f"{path} wrote without an audit entry"
    for obj in written:
        mine = [e for e in entries if e.content_type.model_class() is type(obj) and e.object_id == str(obj.pk)]
        assert mine, f"{path}: no entry names {type(obj).__name__} {obj.pk}"
        assert all(e.object_repr for e in mine)
    for entry in entries:
        if actor == COMMAND:
            assert entry.actor_id is None and entry.actor_label == COMMAND, (path, entry)
        else:
            assert entry.actor_id == actor.pk, (path, entry, entry.actor_label)
