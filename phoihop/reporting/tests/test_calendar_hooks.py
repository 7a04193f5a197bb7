import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from phoihop import factories as f
from phoihop.almanac.focus import FocusScope, upcoming_focus
from phoihop.programs.models import ContentArea
from phoihop.reporting.models import Activity


@pytest.fixture
def program(org_a, reporter):
    program = f.ProgramFactory(code="ct-lich", status="in_force")
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=org_a)
    return program


@pytest.mark.django_db
def test_reporting_deadlines_and_planned_activities_are_in_the_focus(program, org_a, reporter):
    Activity.objects.create(title="Thăm gia đình chính sách dịp 27/7", content_area=ContentArea.objects.get(code="gratitude"),
                            lead_organization=org_a, program=program, status="planned",
                            start_date=dt.date(2019, 7, 25), end_date=dt.date(2019, 7, 25))
    focus = upcoming_focus(FocusScope(dt.date(2019, 7, 10), dt.date(2019, 8, 31), user=reporter, organization=org_a))
    deadlines = [i.title for i in focus.deadlines]
    assert any("tháng 8/2019" in t for t in deadlines)  # due 18/8/2019
    assert [i.title for i in focus.activities] == ["Thăm gia đình chính sách dịp 27/7"]


@pytest.mark.django_db
def test_deadline_reminders_are_sent_once(program, org_a, reporter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reporter.email = "reporter@example.org"
    reporter.save()
    call_command("remind", "--date", "2019-08-11", "--days", "7", verbosity=0)
    sent = [m for m in mail.outbox if "Hạn gửi báo cáo" in m.subject]
    assert len(sent) == 1 and "18/8/2019" in sent[0].subject
    call_command("remind", "--date", "2019-08-11", "--days", "7", verbosity=0)
    assert len([m for m in mail.outbox if "Hạn gửi báo cáo" in m.subject]) == 1
