"""The approval state machine, locks, entry windows and the stale-save conflict."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from phoihop import factories as f
from phoihop.audit.recorder import history_for
from phoihop.programs.models import ContentArea
from phoihop.reporting import bulk, services
from phoihop.reporting.models import DataValue, SubmissionStatus

TODAY = dt.date(2019, 8, 10)  # inside the entry window of 2019-08 (15/7 → 14/8, due 18/8)


@pytest.fixture
def setup(org_a, org_b, reporter, approver, manager, viewer, outsider):
    program = f.ProgramFactory(code="ct-wf")
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment"]))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    period = services.get_period("2019-08")
    return program, period


def _save(org, period, user, **values):
    cells = [services.CellInput(code, value) for code, value in values.items()]
    return bulk.save_values(org, period, user, cells, today=TODAY)


def test_a_reporter_saves_a_draft_and_the_save_is_recorded(setup, org_a, reporter):
    _program, period = setup
    result = _save(org_a, period, reporter, gratitude_houses="3")
    assert result.ok and result.saved == 1
    value = DataValue.objects.get(organization=org_a, indicator__code="gratitude_houses")
    assert value.value == 3 and value.version == 1
    assert history_for(value).get().action == "create"


def test_a_viewer_may_not_enter_data_and_an_outsider_gets_404(setup, org_a, viewer, outsider):
    _program, period = setup
    with pytest.raises(PermissionDenied):
        _save(org_a, period, viewer, gratitude_houses="3")
    with pytest.raises(Http404):
        _save(org_a, period, outsider, gratitude_houses="3")
    assert not DataValue.objects.exists()


def test_one_bad_cell_writes_nothing(setup, org_a, reporter):
    _program, period = setup
    result = _save(org_a, period, reporter, gratitude_houses="3", gratitude_gift_value="abc")
    assert not result.ok
    assert "không phải là số" in result.errors[0].message
    assert not DataValue.objects.exists()


def test_enlisted_above_called_blocks_submission_and_nothing_moves(setup, org_a, reporter):
    _program, period = setup
    assert _save(org_a, period, reporter, recruit_called="10", recruit_enlisted="12", recruit_quota="12").ok
    submission = services.submission_for(org_a, period)
    problems = services.submit(submission, reporter)
    assert any(p.severity == "error" and "không thể lớn hơn" in p.message for p in problems)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_below_quota_is_only_a_warning(setup, org_a, reporter):
    _program, period = setup
    _save(org_a, period, reporter, recruit_called="20", recruit_enlisted="8", recruit_quota="10")
    problems = services.submit(services.submission_for(org_a, period), reporter)
    assert [p.severity for p in problems] == ["warning"]
    assert services.submission_for(org_a, period).status == SubmissionStatus.SUBMITTED


def test_return_needs_a_reason_and_reopens_entry(setup, org_a, reporter, approver):
    _program, period = setup
    _save(org_a, period, reporter, gratitude_houses="3")
    submission = services.submission_for(org_a, period)
    services.submit(submission, reporter)
    with pytest.raises(ValidationError):
        services.return_for_changes(submission, approver, "   ")
    services.return_for_changes(submission, approver, "Kiểm tra lại số nhà")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.return_reason == "Kiểm tra lại số nhà"
    assert _save(org_a, period, reporter, gratitude_houses="4").ok


def test_approved_values_are_locked_until_the_standing_office_reopens(setup, org_a, reporter, approver, manager):
    program, period = setup
    from phoihop.programs.models import SteeringCommittee

    SteeringCommittee.objects.create(name="BCĐ", standing_office=org_a).programs.add(program)
    _save(org_a, period, reporter, gratitude_houses="3")
    submission = services.submission_for(org_a, period)
    services.submit(submission, reporter)
    services.approve(submission, approver)
    locked = _save(org_a, period, reporter, gratitude_houses="9")
    assert not locked.ok and "đã được duyệt" in locked.errors[0].message
    with pytest.raises(ValidationError):
        services.approve(submission, approver)  # not twice
    services.reopen(submission, manager, dt.date(2099, 1, 1), "Bổ sung số liệu")
    assert _save(org_a, period, reporter, gratitude_houses="9").ok
    transitions = [e.changes["status"] for e in history_for(submission).filter(action="transition").order_by("at", "id")]
    assert transitions == [["draft", "submitted"], ["submitted", "approved"], ["approved", "reopened"]]


def test_a_reporter_cannot_approve_its_own_report(setup, org_a, reporter):
    _program, period = setup
    _save(org_a, period, reporter, gratitude_houses="3")
    submission = services.submission_for(org_a, period)
    services.submit(submission, reporter)
    with pytest.raises(PermissionDenied):
        services.approve(submission, reporter)


def test_entry_closes_after_the_window_and_says_so(setup, org_a, reporter):
    _program, period = setup
    late = bulk.save_values(org_a, period, reporter, [services.CellInput("gratitude_houses", "3")], today=dt.date(2019, 9, 30))
    assert not late.ok and "khóa nhập liệu" in late.errors[0].message


def test_a_stale_save_is_refused_showing_both_values(setup, org_a, reporter, approver):
    _program, period = setup
    _save(org_a, period, reporter, gratitude_houses="3")  # version 1
    bulk.save_values(org_a, period, approver, [services.CellInput("gratitude_houses", "5", version=1)], today=TODAY)  # → v2
    stale = bulk.save_values(org_a, period, reporter, [services.CellInput("gratitude_houses", "7", version=1)], today=TODAY)
    assert not stale.ok
    message = stale.conflicts[0].message()
    assert "5" in message and "7" in message and "approver" in message
    assert DataValue.objects.get(indicator__code="gratitude_houses").value == 5


@pytest.mark.parametrize(("typed", "stored"), [("1.234", 1234), ("1.234.567", 1234567), ("12", 12), ("0", 0)])
def test_vietnamese_number_typing(setup, org_a, reporter, typed, stored):
    _program, period = setup
    assert _save(org_a, period, reporter, recruit_called=typed).ok
    assert DataValue.objects.get(indicator__code="recruit_called").value == stored


def test_decimal_comma_for_money(setup, org_a, reporter):
    _program, period = setup
    assert _save(org_a, period, reporter, gratitude_gift_value="1.234,5").ok
    assert str(DataValue.objects.get(indicator__code="gratitude_gift_value").value) == "1234.50"
