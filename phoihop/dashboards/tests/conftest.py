"""Shared data for the dashboards' tests: a signed program of org_a (lead) and org_b, steered by a
committee whose standing office is org_a, with approved and unapproved monthly figures."""

import datetime as dt

import pytest

from phoihop import factories as f
from phoihop.audit import workflow
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting import bulk as reporting_bulk
from phoihop.reporting import services as reporting
from phoihop.reporting.models import SubmissionStatus

D = dt.date


def save(org, code, **values):
    """Values of one organisation for one month (a draft report)."""
    period = reporting.get_period(code)
    cells = [reporting.CellInput(k, v) for k, v in values.items()]
    assert reporting_bulk.save_values(org, period, None, cells, check_permission=False, today=period.start).ok
    return reporting.submission_for(org, period)


def approved(org, code, **values):
    submission = save(org, code, **values)
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.APPROVED)
    return submission


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-dash", title="Chương trình phối hợp thử giai đoạn 2019 - 2020",
                               start=D(2019, 1, 1), end=D(2020, 12, 31), status="in_force")
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment"]))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    SteeringCommittee.objects.create(name="BCĐ thử", standing_office=org_a).programs.add(program)
    return program


@pytest.fixture
def figures(program, org_a, org_b):
    """Approved: org_a 3 + 2 houses, org_b 1234; org_a's recruitment. Not approved: org_a 777
    houses in 2019-09 (a draft), org_b 555 in 2019-10 (submitted)."""
    from phoihop.reporting.models import Indicator, Target

    approved(org_a, "2019-07", gratitude_houses="3", recruit_called="120", recruit_enlisted="30", recruit_quota="30")
    approved(org_a, "2019-08", gratitude_houses="2")
    approved(org_b, "2019-07", gratitude_houses="1.234")
    save(org_a, "2019-09", gratitude_houses="777")
    workflow.move(save(org_b, "2019-10", gratitude_houses="555"), SubmissionStatus.SUBMITTED)
    houses = Indicator.objects.get(code="gratitude_houses")
    Target.objects.create(program=program, organization=org_a, indicator=houses, year=2019, value=10)
    Target.objects.create(program=program, organization=org_b, indicator=houses, year=2019, value=1000)
    Target.objects.create(program=program, indicator=Indicator.objects.get(code="recruit_enlisted"), year=2019, value=40)
    return program
