"""Small worlds shared by tests of several apps: a month of an organisation's report, its values
entered by the reporter, then sent and approved."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop import factories as f
from phoihop.audit.context import acting_as
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting import activities, bulk, services
from phoihop.reporting.models import SubmissionStatus


def current_month_with_a_value(org, reporter, code: str):
    """A program led by `org` (standing office of the committee steering it, areas "gratitude" and
    "recruitment") and the period of the current month, where `reporter` entered one value."""
    program = f.ProgramFactory(code=code, start=dt.date(2019, 1, 1), end=None)
    f.PartyFactory(program=program, organization=org, role="lead")
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment"]))
    SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org).programs.add(program)
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
