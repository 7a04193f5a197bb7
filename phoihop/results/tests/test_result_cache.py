"""aggregation.results() is cached per process under version tokens: never a stale figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from phoihop import factories as f
from phoihop.organizations.models import Organization
from phoihop.programs.models import ContentArea, Program, ProgramParty
from phoihop.reporting.models import DataValue, Indicator, Submission, SubmissionStatus, Target
from phoihop.results import aggregation
from phoihop.results.tests.test_aggregation import AREAS, activity, dec, report

D = dt.date
PHASE = (D(2019, 1, 1), D(2020, 12, 31))


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-bo-dem", start=PHASE[0], end=PHASE[1])
    for order, org in enumerate((org_a, org_b)):
        f.PartyFactory(program=program, organization=org, order=order)
    program.content_areas.set(ContentArea.objects.filter(code__in=AREAS))
    report(org_a, "2019-05", {"blood_units": 5, "members_total": 10})
    report(org_b, "2020-03", {"blood_units": 7})
    Target.objects.create(program=program, organization=None, indicator=Indicator.objects.get(code="blood_units"),
                          year=None, value=dec(40))  # the phase target: counts while the window covers the phase
    return program


def cached(program, **kwargs):
    return aggregation.results([program.code], *PHASE, **kwargs)


def fresh(program, include_unapproved=False):
    """Computed now, without the cache."""
    return aggregation._results([Program.objects.get(pk=program.pk)], *PHASE, include_unapproved=include_unapproved,
                                by_year=False)


def test_a_second_call_is_served_from_the_cache(program, django_assert_max_num_queries):
    first = cached(program)
    with django_assert_max_num_queries(4):  # the program, the change queue, the tokens
        second = cached(program)
    assert second == first and second is not first
    with pytest.raises(AttributeError):  # rows are shared: nobody may change them
        second[0].value = Decimal(1)


def _approve_more(program, org_a, org_b):
    report(org_a, "2019-06", {"blood_units": 3})


def _change_value(program, org_a, org_b):
    DataValue.objects.filter(organization=org_a, indicator__code="blood_units").update(value=dec(50))


def _return_report(program, org_a, org_b):
    Submission.objects.filter(organization=org_b).update(status=SubmissionStatus.RETURNED)


def _add_activity(program, org_a, org_b):
    activity(org_a, D(2019, 5, 1), {"blood_units": 11}, co=[org_b])


def _set_target(program, org_a, org_b):
    Target.objects.create(program=program, organization=org_a, indicator=Indicator.objects.get(code="blood_units"),
                          year=2019, value=dec(20))


def _add_party(program, org_a, org_b):
    third = f.OrganizationFactory(name="Hội Nông dân thành phố Thử", short_name="Hội ND")
    ProgramParty.objects.create(program=program, organization=third, order=9)


def _rename(program, org_a, org_b):
    Organization.objects.filter(pk=org_a.pk).update(name="Tên mới của tổ chức")


def _change_rule(program, org_a, org_b):
    Indicator.objects.filter(code="blood_units").update(aggregation=Indicator.Aggregation.MAX)


def _move_phase(program, org_a, org_b):
    Program.objects.filter(pk=program.pk).update(start=D(2018, 1, 1))


@pytest.mark.parametrize("change", [_approve_more, _change_value, _return_report, _add_activity, _set_target, _add_party,
                                    _rename, _change_rule, _move_phase])
def test_every_change_that_matters_is_seen(program, org_a, org_b, change):
    before = cached(program)
    change(program, org_a, org_b)
    program.refresh_from_db()
    after = cached(program)
    assert after == fresh(program)
    assert after != before


def test_a_draft_change_keeps_the_approved_figures_cached(program, org_a, django_assert_max_num_queries):
    report(org_a, "2020-07", {"blood_units": 100}, status="draft")  # a report being written
    approved = cached(program)
    drafts = cached(program, include_unapproved=True)
    DataValue.objects.filter(organization=org_a, period__code="2020-07").update(value=dec(120))
    assert cached(program, include_unapproved=True) != drafts
    assert cached(program, include_unapproved=True) == fresh(program, include_unapproved=True)
    with django_assert_max_num_queries(4):
        again = cached(program)
    assert again == approved == fresh(program)


def test_a_rolled_back_change_leaves_no_cache_entry_behind(program, org_a):
    cached(program)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        report(org_a, "2019-08", {"blood_units": 1000})
        inside = cached(program)
        assert inside == fresh(program)
        raise Undo
    after = cached(program)
    assert after == fresh(program) and after != inside
    report(org_a, "2019-09", {"blood_units": 1})  # the next change gets a new token, never the rolled-back one
    assert cached(program) == fresh(program)
