"""Issue 12: an activity is written through `reporting.activities` at every door — the activity
pages, the API and the admin — with one lock rule, one date range, and an audit entry for every
row written (figures included).

The month of the fixture is approved; the same input sent through each door gets the same
outcome and the same message. After a recorded reopening (the admin action on reports) the same
change is accepted.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import history_for
from phoihop.core.bounds import range_message
from phoihop.programs.models import ContentArea
from phoihop.reporting import activities, services
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
)
from phoihop.reporting.tests import worlds

pytestmark = pytest.mark.django_db

REASON = "Bổ sung hoạt động tháng 3"
ADMIN = "/quan-tri/reporting/activity/"


@pytest.fixture
def month(org_a, reporter, approver):
    """org_a's report of the current month (otherwise open for entry), approved; in that month a
    planned activity and a done one with a figure."""
    program, period = worlds.current_month_with_a_value(org_a, reporter, "ct-cua")
    day = timezone.localdate()
    area = ContentArea.objects.get(code="gratitude")
    planned = Activity.objects.create(title="Thăm gia đình chính sách (kế hoạch)", content_area=area, lead_organization=org_a,
                                      program=program, status=Activity.Status.PLANNED, start_date=day, end_date=day)
    done = Activity.objects.create(title="Xây nhà tình nghĩa", content_area=area, lead_organization=org_a, program=program,
                                   status=Activity.Status.DONE, start_date=day, end_date=day, participants=12)
    figure = ActivityValue.objects.create(activity=done, indicator=Indicator.objects.get(code="gratitude_gifts"), value=Decimal(5))
    submission = worlds.send_and_approve(org_a, period, reporter, approver)
    return {"program": program, "period": period, "submission": submission, "day": day, "area": area,
            "planned": planned, "done": done, "figure": figure}


def _expected_lock(ctx) -> str:
    ctx["submission"].refresh_from_db()
    return services.locked_message(Submission.objects.select_related("period", "organization").get(pk=ctx["submission"].pk))


# ---------------------------------------------------------------- the three doors, one input

def _fields(ctx, activity=None, **changes) -> dict:
    """An activity's fields as plain values (dates as dates), with `changes`."""
    base = {"title": "Tặng quà gia đình chính sách", "status": "done", "start_date": ctx["day"], "end_date": ctx["day"],
            "participants": 12, "lead_organization": ctx["program"].parties.get().organization_id}
    if activity is not None:
        base.update(title=activity.title, status=activity.status, start_date=activity.start_date,
                    end_date=activity.end_date, participants=activity.participants)
    return {**base, **changes}


def _page(client, user, ctx, fields, activity=None):
    client.force_login(user)
    body = {"title": fields["title"], "program": ctx["program"].pk, "content_area": ctx["area"].pk,
            "lead_organization": fields["lead_organization"], "status": fields["status"],
            "start_date": fields["start_date"].strftime("%d/%m/%Y"), "end_date": fields["end_date"].strftime("%d/%m/%Y"),
            "participants": fields["participants"] or "", "place_text": "", "funds_spent": "", "funds_mobilised": "", "result": ""}
    url = f"/bao-cao/hoat-dong/{activity.pk}/sua/" if activity else "/bao-cao/hoat-dong/them/"
    response = client.post(url, body)
    if response.status_code == 302:
        return "saved", ""
    assert response.status_code == 422, response.status_code
    return "refused", response.content.decode()


def _api(client, user, ctx, fields, activity=None, figures=()):
    _token, raw = ApiToken.issue(user)
    body = {"title": fields["title"], "program": ctx["program"].code, "content_area": ctx["area"].code,
            "lead_organization": fields["lead_organization"], "status": fields["status"],
            "start_date": fields["start_date"].isoformat(), "end_date": fields["end_date"].isoformat(),
            "participants": fields["participants"], "values": [{"indicator": code, "value": value} for code, value in figures]}
    send = client.put if activity else client.post
    url = f"/api/activities/{activity.pk}" if activity else "/api/activities"
    response = send(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    if response.status_code in (200, 201):
        return "saved", ""
    assert response.status_code == 422, response.content
    return "refused", json.dumps(response.json(), ensure_ascii=False)


def _admin_body(ctx, fields, activity=None, figures=()) -> dict:
    body = {"title": fields["title"], "program": ctx["program"].pk, "content_area": ctx["area"].pk,
            "lead_organization": fields["lead_organization"], "status": fields["status"],
            "start_date": fields["start_date"].strftime("%d/%m/%Y"), "end_date": fields["end_date"].strftime("%d/%m/%Y"),
            "participants": fields["participants"] or "", "place_text": "", "funds_spent": "", "funds_mobilised": "",
            "result": "", "plan": "", "place": "", "_save": "Lưu"}
    stored = list(activity.values.all()) if activity else []
    body.update({"values-TOTAL_FORMS": str(len(figures)), "values-INITIAL_FORMS": str(len(stored)),
                 "values-MIN_NUM_FORMS": "0", "values-MAX_NUM_FORMS": "1000"})
    by_indicator = {v.indicator.code: v for v in stored}
    for n, (code, value) in enumerate(figures):
        existing = by_indicator.get(code)
        body[f"values-{n}-id"] = existing.pk if existing else ""
        body[f"values-{n}-activity"] = activity.pk if activity else ""
        body[f"values-{n}-indicator"] = Indicator.objects.get(code=code).pk
        body[f"values-{n}-value"] = value
    return body


def _admin(client, user, ctx, fields, activity=None, figures=None):
    client.force_login(user)
    if figures is None:
        figures = [(v.indicator.code, str(v.value)) for v in activity.values.select_related("indicator")] if activity else []
    url = f"{ADMIN}{activity.pk}/change/" if activity else f"{ADMIN}add/"
    body = _admin_body(ctx, fields, activity, figures)
    response = client.post(url, body)
    if response.status_code == 422:  # the same form again, with the reason and what was typed
        form = response.context["adminform"].form
        assert form.data["title"] == body["title"] and form.data["status"] == body["status"]
        for n, (_code, value) in enumerate(figures):
            assert form.data[f"values-{n}-value"] == value
        return "refused", " ".join(form.non_field_errors())
    assert response.status_code == 302, response.content[:2000]
    assert response.url == ADMIN
    return "saved", ""


DOORS = {"page": _page, "api": _api, "admin": _admin}


def _user(door, reporter, sysadmin):
    return sysadmin if door == "admin" else reporter


@pytest.mark.parametrize("door", sorted(DOORS))
def test_switching_a_planned_activity_to_done_in_an_approved_month_is_refused(client, month, reporter, sysadmin, door):
    planned = month["planned"]
    outcome, text = DOORS[door](client, _user(door, reporter, sysadmin), month, _fields(month, planned, status="done"), planned)
    assert outcome == "refused"
    assert escape(_expected_lock(month)) in text or _expected_lock(month) in text
    planned.refresh_from_db()
    assert planned.status == Activity.Status.PLANNED


@pytest.mark.parametrize("door", sorted(DOORS))
def test_adding_a_done_activity_to_an_approved_month_is_refused(client, month, reporter, sysadmin, door):
    before = Activity.objects.count()
    outcome, text = DOORS[door](client, _user(door, reporter, sysadmin), month, _fields(month, title="Hoạt động thêm vào"))
    assert outcome == "refused"
    assert escape(_expected_lock(month)) in text or _expected_lock(month) in text
    assert Activity.objects.count() == before and not Activity.objects.filter(title="Hoạt động thêm vào").exists()


@pytest.mark.parametrize("door", sorted(DOORS))
def test_changing_a_done_activity_of_an_approved_month_is_refused(client, month, reporter, sysadmin, door):
    done = month["done"]
    outcome, text = DOORS[door](client, _user(door, reporter, sysadmin), month, _fields(month, done, participants=999), done)
    assert outcome == "refused"
    assert escape(_expected_lock(month)) in text or _expected_lock(month) in text
    done.refresh_from_db()
    assert done.participants == 12


@pytest.mark.parametrize("door", sorted(DOORS))
def test_an_end_date_beyond_2099_gets_the_same_vietnamese_message(client, month, reporter, sysadmin, door):
    """The probe's 500: 15/12/2100 falls in a Decree 09 month of 2101, beyond the periods."""
    late = dt.date(2100, 12, 15)
    outcome, text = DOORS[door](client, _user(door, reporter, sysadmin), month,
                                _fields(month, title="Ngày quá xa", start_date=late, end_date=late))
    assert outcome == "refused"
    message = range_message("Ngày kết thúc")
    assert escape(message) in text or message in text
    assert not Activity.objects.filter(title="Ngày quá xa").exists()


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_closed_month_refuses_a_done_activity_and_checking_creates_no_rows(client, month, reporter, sysadmin, door):
    """The entry window is the rule at every door (as for values): a done activity in a month
    whose entry closed (here March 2019, never opened) is refused; checking writes nothing."""
    day = dt.date(2019, 3, 5)
    rows = (Period.objects.count(), Submission.objects.count(), AuditEntry.objects.count())
    outcome, text = DOORS[door](client, _user(door, reporter, sysadmin), month,
                                _fields(month, title="Tháng đã khóa", start_date=day, end_date=day))
    assert outcome == "refused"
    assert "khóa nhập liệu" in text
    assert (Period.objects.count(), Submission.objects.count(), AuditEntry.objects.count()) == rows
    # A planned activity of that month is not counted anywhere: accepted.
    outcome, _text = DOORS[door](client, _user(door, reporter, sysadmin), month,
                                 _fields(month, title="Kế hoạch tháng đã khóa", status="planned", start_date=day, end_date=day))
    assert outcome == "saved"
    assert (Period.objects.count(), Submission.objects.count()) == rows[:2]


@pytest.mark.parametrize("door", sorted(DOORS))
def test_after_a_recorded_reopening_the_same_change_is_accepted(client, month, reporter, sysadmin, manager, door):
    planned = month["planned"]
    _reopen_in_admin(client, sysadmin, month["submission"])
    outcome, _text = DOORS[door](client, _user(door, reporter, sysadmin), month, _fields(month, planned, status="done"), planned)
    assert outcome == "saved"
    planned.refresh_from_db()
    assert planned.status == Activity.Status.DONE
    assert history_for(planned).filter(action="update").first().changes["status"] == ["planned", "done"]


# ---------------------------------------------------------------- the admin's own paths

def test_the_admin_inline_refuses_a_figure_of_an_approved_month(client, month, sysadmin):
    done, figure = month["done"], month["figure"]
    entries = AuditEntry.objects.count()
    outcome, text = _admin(client, sysadmin, month, _fields(month, done), done, figures=[("gratitude_gifts", "77")])
    assert outcome == "refused" and _expected_lock(month) in text
    figure.refresh_from_db()
    assert figure.value == 5 and AuditEntry.objects.count() == entries
    # A new figure, or a figure deleted through the inline: refused as well.
    outcome, _text = _admin(client, sysadmin, month, _fields(month, done), done,
                            figures=[("gratitude_gifts", "5"), ("gratitude_gift_value", "3")])
    assert outcome == "refused" and done.values.count() == 1
    outcome, _text = _admin(client, sysadmin, month, _fields(month, done), done, figures=[])
    assert outcome == "refused" and done.values.count() == 1


def test_the_admin_change_form_of_a_locked_activity_says_why(client, month, sysadmin):
    client.force_login(sysadmin)
    page = client.get(f"{ADMIN}{month['done'].pk}/change/")
    assert page.status_code == 200
    assert _expected_lock(month) in [str(m) for m in page.context["messages"]]


def test_the_admin_refuses_to_delete_an_activity_of_an_approved_month(client, month, sysadmin):
    done = month["done"]
    client.force_login(sysadmin)
    response = client.post(f"{ADMIN}{done.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response.url == f"{ADMIN}{done.pk}/change/"
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Không xóa được hoạt động" in shown and _expected_lock(month) in shown
    assert Activity.objects.filter(pk=done.pk).exists() and done.values.count() == 1
    assert not AuditEntry.objects.filter(action="delete").exists()
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(object_id=str(done.pk), action_flag=3).exists()


def test_the_admin_bulk_delete_is_all_or_nothing(client, month, sysadmin):
    """A planned activity of the month could go, the done one cannot: neither is deleted."""
    done, planned = month["done"], month["planned"]
    client.force_login(sysadmin)
    response = client.post(ADMIN, {"action": "delete_selected", "post": "yes",
                                   helpers.ACTION_CHECKBOX_NAME: [done.pk, planned.pk]})
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert _expected_lock(month) in shown
    assert Activity.objects.filter(pk__in=[done.pk, planned.pk]).count() == 2
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(action_flag=3).exists()
    # The planned one alone is deleted, with its audit entry.
    response = client.post(ADMIN, {"action": "delete_selected", "post": "yes", helpers.ACTION_CHECKBOX_NAME: [planned.pk]})
    assert response.status_code == 302 and not Activity.objects.filter(pk=planned.pk).exists()
    assert history_for(planned).filter(action="delete", actor=sysadmin).exists()


def test_the_admin_deletes_after_a_reopening_with_every_figure_audited(client, month, sysadmin):
    done, figure = month["done"], month["figure"]
    _reopen_in_admin(client, sysadmin, month["submission"])
    response = client.post(f"{ADMIN}{done.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Activity.objects.filter(pk=done.pk).exists()
    assert history_for(done).filter(action="delete", actor=sysadmin).exists()
    assert history_for(figure).filter(action="delete", actor=sysadmin).exists()


def test_the_api_deletes_only_an_open_months_activity(client, month, reporter, manager):
    _token, raw = ApiToken.issue(reporter)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    refused = client.delete(f"/api/activities/{month['done'].pk}", **auth)
    assert refused.status_code == 422 and _expected_lock(month) in json.dumps(refused.json(), ensure_ascii=False)
    assert Activity.objects.filter(pk=month["done"].pk).exists()
    assert client.delete(f"/api/activities/{month['planned'].pk}", **auth).status_code == 204
    assert not Activity.objects.filter(pk=month["planned"].pk).exists()


# ---------------------------------------------------------------- the reopening action

def _reopen_in_admin(client, sysadmin, submission, until=None):
    client.force_login(sysadmin)
    until = until or timezone.localdate() + dt.timedelta(days=7)
    response = client.post("/quan-tri/reporting/submission/", {
        "action": "reopen_submissions", helpers.ACTION_CHECKBOX_NAME: [submission.pk], "apply": "Mở lại",
        "until": until.strftime("%d/%m/%Y"), "reason": REASON,
    })
    assert response.status_code == 302, response.content[:1000]
    return response


def test_the_reopening_action_asks_then_records_its_reason(client, month, sysadmin):
    submission = month["submission"]
    client.force_login(sysadmin)
    asked = client.post("/quan-tri/reporting/submission/", {"action": "reopen_submissions", "index": "0",
                                                            helpers.ACTION_CHECKBOX_NAME: [submission.pk]})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    missing = client.post("/quan-tri/reporting/submission/", {
        "action": "reopen_submissions", helpers.ACTION_CHECKBOX_NAME: [submission.pk], "apply": "Mở lại",
        "until": (timezone.localdate() + dt.timedelta(days=7)).strftime("%d/%m/%Y"), "reason": ""})
    assert missing.status_code == 422 and "Hãy ghi lý do mở lại kỳ báo cáo." in missing.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    done = _reopen_in_admin(client, sysadmin, submission)
    assert any("Đã mở lại 1 báo cáo" in str(m) for m in get_messages(done.wsgi_request))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.reopened_until == timezone.localdate() + dt.timedelta(days=7)
    entry = history_for(submission).filter(action=AuditEntry.Action.TRANSITION).order_by("-at", "-id").first()
    assert entry.changes == {"status": ["approved", "reopened"]} and REASON in entry.note and entry.actor == sysadmin


def test_a_refused_reopening_changes_nothing(client, month, sysadmin):
    """A date in the past is refused by the form; nothing is reopened."""
    client.force_login(sysadmin)
    response = client.post("/quan-tri/reporting/submission/", {
        "action": "reopen_submissions", helpers.ACTION_CHECKBOX_NAME: [month["submission"].pk], "apply": "Mở lại",
        "until": "01/01/2020", "reason": REASON})
    assert response.status_code == 422 and "từ hôm nay trở đi" in response.content.decode()
    month["submission"].refresh_from_db()
    assert month["submission"].status == SubmissionStatus.APPROVED


def test_the_values_and_reports_admin_stay_read_only(client, month, sysadmin):
    client.force_login(sysadmin)
    url = f"/quan-tri/reporting/submission/{month['submission'].pk}/change/"
    assert client.post(url, {"status": "draft"}).status_code == 403
    assert client.post(f"/quan-tri/reporting/submission/{month['submission'].pk}/delete/", {"post": "yes"}).status_code == 403


# ---------------------------------------------------------------- every write audited, figures included

def test_every_door_audits_the_activity_and_its_figures(client, month, reporter, sysadmin):
    _reopen_in_admin(client, sysadmin, month["submission"])
    outcome, _text = _api(client, reporter, month, _fields(month, title="Qua API"), figures=[("gratitude_gifts", 4)])
    assert outcome == "saved"
    by_api = Activity.objects.get(title="Qua API")
    assert history_for(by_api).filter(action="create", actor=reporter).exists()
    assert history_for(by_api.values.get()).filter(action="create", actor=reporter).exists()

    outcome, _text = _admin(client, sysadmin, month, _fields(month, title="Qua trang quản trị"), figures=[("gratitude_gifts", "6")])
    assert outcome == "saved"
    by_admin = Activity.objects.get(title="Qua trang quản trị")
    assert by_admin.values.get().value == 6
    assert history_for(by_admin).filter(action="create", actor=sysadmin).exists()
    assert history_for(by_admin.values.get()).filter(action="create", actor=sysadmin).exists()
    figure = by_admin.values.get()
    outcome, _text = _admin(client, sysadmin, month, _fields(month, by_admin), by_admin, figures=[("gratitude_gifts", "8")])
    assert outcome == "saved"
    assert history_for(figure).filter(action="update", actor=sysadmin).first().changes["value"] == ["6.00", "8.00"]

    outcome, _text = _page(client, reporter, month, _fields(month, title="Qua trang hoạt động"))
    assert outcome == "saved"
    by_page = Activity.objects.get(title="Qua trang hoạt động")
    assert history_for(by_page).filter(action="create", actor=reporter).exists()
    outcome, _text = _page(client, reporter, month, _fields(month, by_page, participants=30), by_page)
    assert outcome == "saved"
    assert history_for(by_page).filter(action="update", actor=reporter).first().changes["participants"] == [12, 30]

    api_figure = by_api.values.get()
    outcome, _text = _api(client, reporter, month, _fields(month, by_api), by_api, figures=[])
    assert outcome == "saved" and not by_api.values.exists()
    assert history_for(api_figure).filter(action="delete", actor=reporter).exists()


# ---------------------------------------------------------------- the service's rule, case by case

@pytest.fixture
def open_month(org_a, reporter):
    """An activity done in a future month of org_a, open for entry."""
    program = f.ProgramFactory(code="ct-mo", start=dt.date(2019, 1, 1), end=None)
    f.PartyFactory(program=program, organization=org_a, role="lead")
    day = dt.date(timezone.localdate().year + 1, 6, 5)
    return Activity.objects.create(title="Tuyên truyền tuyển quân", content_area=ContentArea.objects.get(code="recruitment"),
                                   lead_organization=org_a, program=program, start_date=day, end_date=day)


def test_moving_a_done_activity_into_or_out_of_a_locked_month_is_refused(month, open_month, reporter):
    target = month["day"]
    open_month.start_date = open_month.end_date = target
    with pytest.raises(ValidationError) as into:
        activities.update_activity(reporter, open_month)
    assert _expected_lock(month) in into.value.message_dict["end_date"][0]
    done = Activity.objects.get(pk=month["done"].pk)
    done.start_date = done.end_date = dt.date(timezone.localdate().year + 1, 6, 5)
    with pytest.raises(ValidationError) as out:
        activities.update_activity(reporter, done)
    assert "ra khỏi kỳ báo cáo đã khóa" in out.value.message_dict["end_date"][0]
    assert Activity.objects.get(pk=month["done"].pk).end_date == month["day"]


@pytest.mark.parametrize("change", [{"status": "cancelled"}, {"title": "Sửa tên"}, {"participants": 1}])
def test_any_change_of_a_locked_done_activity_is_refused(month, reporter, change):
    done = Activity.objects.get(pk=month["done"].pk)
    for name, value in change.items():
        setattr(done, name, value)
    with pytest.raises(ValidationError):
        activities.update_activity(reporter, done)
    stored = Activity.objects.get(pk=done.pk)
    assert (stored.status, stored.title, stored.participants) == ("done", "Xây nhà tình nghĩa", 12)


def test_a_planned_activity_of_a_locked_month_stays_editable(month, reporter):
    planned = Activity.objects.get(pk=month["planned"].pk)
    planned.title = "Thăm gia đình chính sách (dời lịch)"
    with acting_as(reporter):
        activities.update_activity(reporter, planned)
    assert Activity.objects.get(pk=planned.pk).title.endswith("(dời lịch)")


def test_saving_without_a_change_writes_nothing(month, reporter):
    entries = AuditEntry.objects.count()
    activities.update_activity(reporter, Activity.objects.get(pk=month["done"].pk),
                               figures=[(month["figure"].indicator, Decimal(5))], co_organizers=[])
    assert AuditEntry.objects.count() == entries


def test_a_viewer_and_a_stranger_cannot_write(month, viewer, outsider):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    planned = Activity.objects.get(pk=month["planned"].pk)
    planned.title = "Đổi tên"
    with pytest.raises(PermissionDenied):
        activities.update_activity(viewer, planned)
    with pytest.raises(Http404):
        activities.update_activity(outsider, planned)
    with pytest.raises(Http404):
        activities.delete_activity(outsider, planned)
    assert Activity.objects.get(pk=planned.pk).title != "Đổi tên"
