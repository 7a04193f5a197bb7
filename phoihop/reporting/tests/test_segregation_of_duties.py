"""Segregation of duties (issue 12): whoever sent a report does not approve it, unless a program
the report counts for allows self-approval (`Program.self_approval_allowed`, a one-person office).

Returning a report for changes stays open to its sender: it gives no effect to the figures, it
only unlocks them; the corrected report is sent again and approved by someone else.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from phoihop import factories as f
from phoihop.audit.models import AuditEntry
from phoihop.reporting import bulk, services
from phoihop.reporting.models import Submission, SubmissionStatus
from phoihop.reporting.tests.worlds import auth, program_led_by

MONTH = "2025-03"
OWN_REPORT = "không tự duyệt được"


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["recruitment"], code="ct-sod", start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))


@pytest.fixture
def second_approver(org_a):
    user = f.UserFactory(username="approver2")
    f.MembershipFactory(user=user, organization=org_a, role="approver")
    return user


def sent_by(user, org) -> Submission:
    """The approver's own organisation's report, entered and sent by `user`."""
    period = services.get_period(MONTH)
    result = bulk.save_values(org, period, user, [services.CellInput("recruit_called", 10)], today=period.start)
    assert result.ok, result.errors
    submission = services.submission_for(org, period)
    problems = services.submit(submission, user)
    assert not [p for p in problems if p.severity == "error"], problems
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.submitted_by == user
    return submission


@pytest.mark.django_db
def test_the_sender_cannot_approve_their_own_report(approver, org_a, program):
    submission = sent_by(approver, org_a)
    approvals = AuditEntry.objects.filter(action="transition").count()
    with pytest.raises(services.SelfApprovalRefused, match=OWN_REPORT):
        services.approve(submission, approver)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="transition").count() == approvals
    assert not services.may_approve_now(approver, submission)


@pytest.mark.django_db
def test_another_approver_approves_it(approver, second_approver, org_a, program):
    submission = sent_by(approver, org_a)
    assert services.may_approve_now(second_approver, submission)
    services.approve(submission, second_approver)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED and submission.submitted_by == approver


@pytest.mark.django_db
def test_a_program_allowing_self_approval_lets_the_sender_approve(approver, org_a, program):
    program.self_approval_allowed = True
    program.save()
    submission = sent_by(approver, org_a)
    services.approve(submission, approver)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPROVED


@pytest.mark.django_db
def test_only_a_program_the_report_counts_for_can_allow_it(approver, org_a, program):
    """A program of the organisation that ended before the period does not count."""
    old = f.ProgramFactory(code="ct-cu", start=dt.date(2010, 1, 1), end=dt.date(2012, 12, 31), self_approval_allowed=True)
    f.PartyFactory(program=old, organization=org_a)
    submission = sent_by(approver, org_a)
    with pytest.raises(services.SelfApprovalRefused):
        services.approve(submission, approver)


@pytest.mark.django_db
def test_the_sender_may_return_their_own_report_for_a_correction(approver, second_approver, org_a, program):
    submission = sent_by(approver, org_a)
    services.return_for_changes(submission, approver, "Nhập nhầm số gọi nhập ngũ")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RETURNED
    submission = sent_by(second_approver, org_a)  # sent again, by the other approver this time
    with pytest.raises(services.SelfApprovalRefused):
        services.approve(submission, second_approver)
    services.approve(submission, approver)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPROVED


@pytest.mark.django_db
def test_the_api_answers_403_with_the_reason(client, approver, second_approver, org_a, program):
    sent_by(approver, org_a)
    response = client.post(f"/api/submissions/{org_a.pk}/{MONTH}/approve", "{}", content_type="application/json", **auth(approver))
    assert response.status_code == 403
    assert OWN_REPORT in response.json()["detail"]
    assert Submission.objects.get(organization=org_a, period__code=MONTH).status == SubmissionStatus.SUBMITTED
    response = client.post(f"/api/submissions/{org_a.pk}/{MONTH}/approve", "{}", content_type="application/json", **auth(second_approver))
    assert response.status_code == 200 and response.json()["status"] == "approved"


@pytest.mark.django_db
def test_the_api_submit_records_the_sender(client, approver, org_a, program):
    period = services.get_period(MONTH)
    assert bulk.save_values(org_a, period, approver, [services.CellInput("recruit_called", 3)], today=period.start).ok
    response = client.post(f"/api/submissions/{org_a.pk}/{MONTH}/submit", "{}", content_type="application/json", **auth(approver))
    assert response.status_code == 200, response.content
    assert Submission.objects.get(organization=org_a, period__code=MONTH).submitted_by == approver


@pytest.mark.django_db
def test_the_page_refuses_with_a_message_and_hides_the_button(client, approver, second_approver, org_a, program):
    sent_by(approver, org_a)
    client.force_login(approver)
    grid = client.get(f"/bao-cao/{org_a.pk}/{MONTH}/").content.decode()
    assert 'id="own-report"' in grid and 'id="approve"' not in grid and 'id="return"' in grid
    response = client.post(f"/bao-cao/{org_a.pk}/{MONTH}/duyet/", {"next": f"/bao-cao/{org_a.pk}/{MONTH}/"}, follow=True)
    assert OWN_REPORT in response.content.decode()
    assert Submission.objects.get(organization=org_a, period__code=MONTH).status == SubmissionStatus.SUBMITTED
    client.force_login(second_approver)
    assert 'id="approve"' in client.get(f"/bao-cao/{org_a.pk}/{MONTH}/").content.decode()


@pytest.mark.django_db
def test_a_report_sent_before_the_sender_was_recorded_can_still_be_approved(approver, org_a, program):
    """Reports sent before `submitted_by` existed (or by `phoihop import` without a user) carry no sender."""
    submission = sent_by(approver, org_a)
    Submission.objects.filter(pk=submission.pk).update(submitted_by=None)
    services.approve(Submission.objects.get(pk=submission.pk), approver)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPROVED


@pytest.mark.django_db
def test_approving_a_draft_stays_a_validation_error(approver, org_a, program):
    period = services.get_period(MONTH)
    with pytest.raises(ValidationError):
        services.approve(services.submission_for(org_a, period), approver)
