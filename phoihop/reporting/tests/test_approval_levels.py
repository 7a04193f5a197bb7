"""Approval that matches how programs are run (issue 14 point 2): an approver of the standing office
approves and returns the parties' reports; a two-level program has the organisation's own approver
confirm first; the queue lists exactly what the user can act on and says why not for the others;
several reports are approved at once; a reopened approved report shows what changed since."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from phoihop import factories as f
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.reporting import bulk, overview, services
from phoihop.reporting.models import Submission, SubmissionStatus
from phoihop.reporting.tests.worlds import auth, program_led_by

MARCH, APRIL = "2025-03", "2025-04"
WOMEN = "Hội Liên hiệp Phụ nữ thành phố Thử"
OFFICE = "Ban Chỉ huy Quân sự thành phố Thử"


@pytest.fixture
def program(org_a, org_b):
    """org_a is the standing office of the committee steering the program; org_b a party."""
    return program_led_by(org_a, org_b, areas=["recruitment"], committee="Ban chỉ đạo thử", code="ct-levels",
                          start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))


@pytest.fixture
def two_levels(program):
    program.two_level_approval = True
    program.save()
    return program


@pytest.fixture
def women_approver(org_b):
    user = f.UserFactory(username="duyet_phunu")
    f.MembershipFactory(user=user, organization=org_b, role="approver")
    return user


def sent(org, user, month=MARCH, value=10) -> Submission:
    period = services.get_period(month)
    with acting_as(user):
        assert bulk.save_values(org, period, user, [services.CellInput("recruit_called", value)], today=period.start).ok
        submission = services.submission_for(org, period)
        assert not [p for p in services.submit(submission, user) if p.severity == "error"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    return submission


def status_of(submission) -> str:
    return Submission.objects.get(pk=submission.pk).status


# ------------------------------------------------------------------ one level

@pytest.mark.django_db
def test_an_approver_of_the_standing_office_approves_a_partys_report(approver, outsider, org_b, program):
    submission = sent(org_b, outsider)
    decision = services.approval_decision(approver, submission)
    assert decision.step == services.APPROVE_STEP and decision.may_return and not decision.reason
    services.approve(submission, approver)
    assert status_of(submission) == SubmissionStatus.APPROVED


@pytest.mark.django_db
def test_an_approver_of_the_standing_office_returns_with_a_reason_only(approver, outsider, org_b, program):
    submission = sent(org_b, outsider)
    with pytest.raises(ValidationError):
        services.return_for_changes(submission, approver, "  ")
    assert status_of(submission) == SubmissionStatus.SUBMITTED
    services.return_for_changes(submission, approver, "Thiếu số gọi nhập ngũ")
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.status == SubmissionStatus.RETURNED and stored.return_reason == "Thiếu số gọi nhập ngũ"


@pytest.mark.django_db
def test_the_organisations_own_approver_approves_when_the_program_has_one_level(women_approver, outsider, org_b, program):
    submission = sent(org_b, outsider)
    assert services.approval_decision(women_approver, submission).step == services.APPROVE_STEP
    services.approve(submission, women_approver)
    assert status_of(submission) == SubmissionStatus.APPROVED


@pytest.mark.django_db
def test_a_reporter_or_viewer_of_the_office_cannot_and_is_told_who_can(viewer, reporter, outsider, org_b, program):
    submission = sent(org_b, outsider)
    for user in (viewer, reporter):
        decision = services.approval_decision(user, submission)
        assert decision.step is None and not decision.may_return
        assert decision.reason == (f"Báo cáo này chờ người duyệt của {WOMEN} hoặc của cơ quan thường trực ({OFFICE}) duyệt.")


# ------------------------------------------------------------------ two levels

@pytest.mark.django_db
def test_two_levels_the_party_confirms_then_the_office_approves(approver, women_approver, outsider, org_b, two_levels):
    submission = sent(org_b, outsider)
    office = services.approval_decision(approver, submission)
    assert office.step is None and not office.may_return
    assert office.reason.startswith(f"Báo cáo này chờ người duyệt của {WOMEN} xác nhận")
    with pytest.raises(services.ApprovalRefused, match="xác nhận"):
        services.approve(submission, approver)
    with pytest.raises(services.ApprovalRefused, match="hai cấp"):
        services.approve(submission, women_approver)  # the party confirms, it does not approve in the office's place
    assert status_of(submission) == SubmissionStatus.SUBMITTED

    services.confirm(submission, women_approver)
    assert status_of(submission) == SubmissionStatus.CONFIRMED
    submission.refresh_from_db()
    assert submission.is_locked and not submission.entry_open()
    party = services.approval_decision(women_approver, submission)
    assert party.step is None and "chờ người duyệt của cơ quan thường trực" in party.reason
    with pytest.raises(services.ApprovalRefused):
        services.approve(submission, women_approver)

    services.approve(submission, approver)
    assert status_of(submission) == SubmissionStatus.APPROVED
    steps = [e.changes["status"] for e in AuditEntry.objects.filter(object_id=str(submission.pk), action="transition").order_by("at", "id")]
    assert steps == [["draft", "submitted"], ["submitted", "confirmed"], ["confirmed", "approved"]]


@pytest.mark.django_db
def test_two_levels_the_office_returns_a_confirmed_report(approver, women_approver, outsider, org_b, two_levels):
    submission = sent(org_b, outsider)
    services.confirm(submission, women_approver)
    with pytest.raises(services.ApprovalRefused):
        services.return_for_changes(submission, women_approver, "Xem lại")  # past the party's level
    services.return_for_changes(submission, approver, "Số liệu chưa khớp")
    assert status_of(submission) == SubmissionStatus.RETURNED


@pytest.mark.django_db
def test_one_level_refuses_a_confirmation(women_approver, outsider, org_b, program):
    submission = sent(org_b, outsider)
    with pytest.raises(ValidationError, match="một cấp"):
        services.confirm(submission, women_approver)
    assert status_of(submission) == SubmissionStatus.SUBMITTED


@pytest.mark.django_db
def test_segregation_of_duties_holds_at_the_confirming_level(women_approver, org_b, two_levels):
    submission = sent(org_b, women_approver)
    decision = services.approval_decision(women_approver, submission)
    assert decision.own_report and decision.may_return and decision.step is None
    assert "không tự xác nhận được" in decision.reason
    with pytest.raises(services.SelfApprovalRefused):
        services.confirm(submission, women_approver)


# ------------------------------------------------------------------ the queue and the pages

@pytest.mark.django_db
def test_the_queue_lists_exactly_what_each_user_can_act_on(client, approver, manager, women_approver, outsider, org_a, org_b,
                                                            two_levels):
    party = sent(org_b, outsider)
    own = sent(org_a, approver)  # the office's own report, sent by its approver

    def queue(user):
        q = overview.approval_queue(user)
        return [i.submission.pk for i in q.actionable], {i.submission.pk: i.decision.reason for i in q.others}

    actionable, others = queue(approver)
    assert actionable == [] and set(others) == {party.pk, own.pk}
    assert others[party.pk].startswith(f"Báo cáo này chờ người duyệt của {WOMEN} xác nhận")
    assert "Bạn là người đã gửi báo cáo" in others[own.pk]
    assert queue(women_approver) == ([party.pk], {})
    assert queue(manager)[0] == [own.pk] and set(queue(manager)[1]) == {party.pk}
    assert [s.pk for s in overview.approvable_submissions(manager)] == [own.pk]

    services.confirm(party, women_approver)
    assert queue(approver)[0] == [party.pk]
    actionable, others = queue(women_approver)  # confirmed: past its level; org_b's approver does not see the office's report
    assert actionable == [] and list(others) == [party.pk]
    assert others[party.pk] == (f"Báo cáo này đã được {WOMEN} xác nhận, chờ người duyệt của cơ quan thường trực ({OFFICE}) duyệt.")

    client.force_login(approver)
    page = client.get("/bao-cao/duyet/").content.decode()
    assert f'name="bao_cao" value="{party.pk}"' in page and f'name="bao_cao" value="{own.pk}"' not in page
    assert 'id="others"' in page and "Bạn là người đã gửi báo cáo" in page
    office = client.get("/bang-dieu-khien/thuong-truc/").content.decode()
    assert "1 báo cáo chờ duyệt" in office


@pytest.mark.django_db
def test_the_grid_shows_the_step_or_why_not(client, approver, viewer, women_approver, outsider, org_b, two_levels):
    sent(org_b, outsider)
    url = f"/bao-cao/{org_b.pk}/{MARCH}/"
    client.force_login(approver)
    page = client.get(url).content.decode()
    assert 'id="why-not"' in page and f"chờ người duyệt của {WOMEN} xác nhận" in page
    assert 'id="approve"' not in page and 'id="return"' not in page
    response = client.post(f"/bao-cao/{org_b.pk}/{MARCH}/duyet/", {"next": url}, follow=True)
    assert response.status_code == 200 and f"chờ người duyệt của {WOMEN} xác nhận" in response.content.decode()
    client.force_login(women_approver)
    page = client.get(url).content.decode()
    assert 'id="confirm"' in page and 'id="return"' in page and 'id="approve"' not in page
    client.post(f"/bao-cao/{org_b.pk}/{MARCH}/xac-nhan/", {"next": url})
    assert Submission.objects.get(organization=org_b, period__code=MARCH).status == SubmissionStatus.CONFIRMED
    assert "Đơn vị đã xác nhận, chờ cơ quan thường trực duyệt" in client.get(url).content.decode()
    client.force_login(viewer)
    assert "chờ người duyệt của cơ quan thường trực" in client.get(url).content.decode()
    client.force_login(approver)
    client.post(f"/bao-cao/{org_b.pk}/{MARCH}/duyet/", {"next": url})
    assert Submission.objects.get(organization=org_b, period__code=MARCH).status == SubmissionStatus.APPROVED


# ------------------------------------------------------------------ several at once

@pytest.mark.django_db
def test_approve_many_moves_each_report_it_may_and_says_why_for_the_others(approver, outsider, org_a, org_b, program):
    march, april = sent(org_b, outsider, MARCH), sent(org_b, outsider, APRIL)
    own = sent(org_a, approver, MARCH)
    outcomes = services.approve_many([march, own, april], approver)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "không tự duyệt được" in outcomes[1].message and outcomes[1].step is None
    assert [status_of(s) for s in (march, own, april)] == [SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED,
                                                           SubmissionStatus.APPROVED]
    again = services.approve_many([march], approver)  # approved already: refused, nothing written
    assert not again[0].ok and "Chỉ duyệt được báo cáo đã gửi" in again[0].message


@pytest.mark.django_db
def test_the_queue_approves_the_ticked_reports(client, approver, women_approver, outsider, org_a, org_b, two_levels):
    march, april = sent(org_b, outsider, MARCH), sent(org_b, outsider, APRIL)
    client.force_login(women_approver)
    response = client.post("/bao-cao/duyet/nhieu/", {"bao_cao": [march.pk, april.pk]}, follow=True)
    assert response.status_code == 200
    assert [status_of(s) for s in (march, april)] == [SubmissionStatus.CONFIRMED] * 2  # the party's step: confirm
    client.force_login(approver)
    response = client.post("/bao-cao/duyet/nhieu/", {"bao_cao": [march.pk]}, follow=True)
    assert "Đã duyệt hoặc xác nhận 1 báo cáo" in response.content.decode()
    assert [status_of(s) for s in (march, april)] == [SubmissionStatus.APPROVED, SubmissionStatus.CONFIRMED]
    stranger = f.OrganizationFactory(name="Đơn vị khác")
    hidden = Submission.objects.create(organization=stranger, period=services.get_period(MARCH), status=SubmissionStatus.SUBMITTED)
    response = client.post("/bao-cao/duyet/nhieu/", {"bao_cao": [hidden.pk]}, follow=True)
    assert "Không tìm thấy 1 báo cáo đã chọn" in response.content.decode() and status_of(hidden) == SubmissionStatus.SUBMITTED
    response = client.post("/bao-cao/duyet/nhieu/", {"bao_cao": ["abc"]}, follow=True)
    assert "Hãy chọn ít nhất một báo cáo" in response.content.decode()


# ------------------------------------------------------------------ reopening shows what changed

@pytest.mark.django_db
def test_a_reopened_approved_report_lists_the_values_changed_since_its_approval(client, approver, manager, outsider, org_b, program):
    submission = sent(org_b, outsider, value=10)
    with acting_as(approver):
        services.approve(submission, approver)
    assert services.changes_since_approval(Submission.objects.get(pk=submission.pk)) == []
    with acting_as(manager):
        services.reopen(submission, manager, timezone.localdate() + dt.timedelta(days=5), "Bổ sung số liệu")
    period = services.get_period(MARCH)
    with acting_as(outsider):
        assert bulk.save_values(org_b, period, outsider, [services.CellInput("recruit_called", "1.234")]).ok
    changes = services.changes_since_approval(Submission.objects.get(pk=submission.pk))
    assert [(c.old, c.new, c.who) for c in changes] == [("10", "1.234", "outsider")]
    client.force_login(approver)
    page = client.get(f"/bao-cao/{org_b.pk}/{MARCH}/").content.decode()
    assert 'id="changes-since-approval"' in page and "1.234" in page and "outsider" in page


# ------------------------------------------------------------------ the API says the same

@pytest.mark.django_db
def test_the_api_gives_the_same_answer_and_takes_the_same_steps(client, approver, women_approver, outsider, org_b, two_levels):
    submission = sent(org_b, outsider)

    def listed(user):
        rows = client.get(f"/api/submissions?org={org_b.pk}&period={MARCH}", **auth(user)).json()
        assert len(rows) == 1
        return rows[0]

    row = listed(approver)
    decision = services.approval_decision(approver, submission)
    assert row["next_step"] is None and row["why_not"] == decision.reason and row["may_return"] is False
    assert listed(women_approver)["next_step"] == "confirm"
    url = f"/api/submissions/{org_b.pk}/{MARCH}"
    refused = client.post(f"{url}/approve", "{}", content_type="application/json", **auth(approver))
    assert refused.status_code == 403 and f"chờ người duyệt của {WOMEN} xác nhận" in refused.json()["detail"]
    confirmed = client.post(f"{url}/confirm", "{}", content_type="application/json", **auth(women_approver))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["status_label"] == "Đơn vị đã xác nhận, chờ cơ quan thường trực duyệt"
    assert listed(approver)["next_step"] == "approve"
    body = json.dumps({"reports": [{"organization": org_b.pk, "period": MARCH}, {"organization": 999999, "period": MARCH}]})
    lines = client.post("/api/submissions/approve-many", body, content_type="application/json", **auth(approver)).json()
    assert [(line["organization"], line["ok"], line["status"]) for line in lines] == [
        (999999, False, None), (org_b.pk, True, "approved")]
