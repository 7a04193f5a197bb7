"""Small worlds shared by tests of several apps: a program led by an organisation with its parties,
areas and steering committee; a month of an organisation's report, its values entered by the
reporter, then sent and approved; the header of an API request signed with a user's token."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.audit.context import acting_as
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting import activities, bulk, services
from phoihop.reporting.models import SubmissionStatus


def program_led_by(lead, *partners, areas: list[str], committee: str | None = None, **fields):
    """A program (`fields` go to ProgramFactory) led by `lead`, the other `partners` its parties in
    that order, reporting on the content `areas` (codes); with a `committee` name, steered by that
    committee, `lead` its standing office."""
    program = f.ProgramFactory(**fields)
    f.PartyFactory(program=program, organization=lead, role="lead")
    for partner in partners:
        f.PartyFactory(program=program, organization=partner)
    program.content_areas.set(ContentArea.objects.filter(code__in=areas))
    if committee:
        SteeringCommittee.objects.create(name=committee, standing_office=lead).programs.add(program)
    return program


def current_month_with_a_value(org, reporter, code: str):
    """A program led by `org` (standing office of the committee steering it, areas "gratitude" and
    "recruitment") and the period of the current month, where `reporter` entered one value."""
    program = program_led_by(org, areas=["gratitude", "recruitment"], committee="Ban chỉ đạo thử",
                             code=code, start=dt.date(2019, 1, 1), end=None)
    convention = services.convention_for(org)
    period = services.get_period(activities.month_covering(timezone.localdate(), convention), convention)
    with acting_as(reporter):
        assert bulk.save_values(org, period, reporter, [services.CellInput("gratitude_houses", "3")]).ok
    return program, period


def send_and_approve(org, period, reporter, approver):
    """The month's report sent by `reporter` and approved by `approver`."""
    submission = services.submission_for(org, period)
    with acting_as(reporter):
        services.submit(submission, reporter)
    with acting_as(approver):
        services.approve(submission, approver)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    return submission


def auth(user) -> dict:
    """The header of an API request sent with a new personal token of `user`."""
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
