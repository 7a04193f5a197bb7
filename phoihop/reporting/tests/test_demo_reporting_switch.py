"""The demo figures can be left out (`loaddemo --no-figures` passes figures=False)."""

from phoihop.demo import organizations
from phoihop.demo import programs as demo_programs
from phoihop.demo import reporting as demo_reporting
from phoihop.reporting.models import Activity, DataValue, Plan, Submission, Target


def test_the_figures_can_be_left_out(db):
    orgs = organizations.load()
    demo_programs.load(orgs)
    demo_reporting.load(orgs, figures=False)
    for model in (DataValue, Submission, Activity, Target, Plan):
        assert not model.objects.exists(), model.__name__


def test_without_the_demo_programs_the_loader_does_nothing(db):
    demo_reporting.load(organizations.load())
    assert not DataValue.objects.exists()
