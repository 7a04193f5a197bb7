from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from phoihop.almanac import reminders
from phoihop.almanac.models import SentReminder
from phoihop.almanac.tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2019, 7, 1)


@pytest.fixture
def setup():
    org, other = factories.organization("Ban CHQS thành phố"), factories.organization("Hội Nông dân")
    alice = factories.user("alice", org, "committee_admin")
    bob = factories.user("bob", org, "viewer")
    factories.user("carol", other, "viewer")  # not concerned
    factories.user("nomail", org, "viewer", email="")
    ev = factories.event("Hội nghị sơ kết", dt.datetime(2019, 7, 5, 8, 0), orgs=[org], place="Hội trường")
    return {"org": org, "alice": alice, "bob": bob, "event": ev}


def test_the_people_concerned_get_one_mail_each(setup):
    result = reminders.send_reminders(TODAY)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.vn", "bob@example.vn"]
    assert len(result.sent) == 2 and result.without_email == 1
    assert "Hội nghị sơ kết" in mail.outbox[0].subject and "05/7/2019" in mail.outbox[0].subject
    assert "Hội trường" in mail.outbox[0].body


def test_running_twice_sends_nothing_more(setup):
    reminders.send_reminders(TODAY)
    result = reminders.send_reminders(TODAY)
    assert len(mail.outbox) == 2
    assert result.skipped == 2 and not result.sent


def test_a_closer_threshold_sends_a_second_reminder_once(setup):
    reminders.send_reminders(TODAY)  # 4 days ahead: the 7-day reminder
    reminders.send_reminders(dt.date(2019, 7, 4))  # 1 day ahead: the 1-day reminder
    reminders.send_reminders(dt.date(2019, 7, 4))
    assert len(mail.outbox) == 4


def test_events_outside_the_horizon_are_not_reminded(setup):
    reminders.send_reminders(dt.date(2019, 6, 1))
    reminders.send_reminders(dt.date(2019, 7, 6))
    assert mail.outbox == []


def test_a_run_killed_between_claim_and_send_never_sends_twice(setup):
    with mock.patch("phoihop.almanac.reminders.send_mail", side_effect=KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            reminders.send_reminders(TODAY)
    assert SentReminder.objects.count() == 1 and SentReminder.objects.get().sent_at is None
    result = reminders.send_reminders(TODAY)
    assert len(mail.outbox) == 1  # the other recipient only
    assert result.skipped == 1 and len(result.unsent_claims) == 1


def test_a_failed_send_is_reported_and_not_retried(setup):
    with mock.patch("phoihop.almanac.reminders.send_mail", side_effect=OSError("SMTP down")):
        result = reminders.send_reminders(TODAY)
    assert len(result.failed) == 2 and "SMTP down" in result.failed[0].error
    reminders.send_reminders(TODAY)
    assert mail.outbox == []


def test_a_rescheduled_event_is_reminded_again(setup):
    reminders.send_reminders(TODAY)
    setup["event"].starts_at += dt.timedelta(days=1)
    setup["event"].save()
    reminders.send_reminders(TODAY)
    assert len(mail.outbox) == 4


def test_the_command_reports_in_vietnamese_and_json(setup):
    out = StringIO()
    call_command("remind", "--date", "2019-07-01", stdout=out, stderr=StringIO())
    assert "Đã gửi 2 thư" in out.getvalue()
    out = StringIO()
    call_command("remind", "--date", "2019-07-01", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["skipped"] == 2
    out = StringIO()
    call_command("remind", "--date", "2019-07-04", "--dry-run", "--days", "1", stdout=out)
    assert "Sẽ gửi 2 thư" in out.getvalue()
    assert len(mail.outbox) == 2


def test_providers_plug_in(setup):
    def deadlines(today, days):
        yield reminders.Reminder(key="deadline:1", due=today, subject="Hạn báo cáo quý", body="…",
                                 recipients=[setup["alice"]])

    reminders.send_reminders(TODAY, providers=[deadlines])
    reminders.send_reminders(TODAY, providers=[deadlines])
    assert [m.subject for m in mail.outbox] == ["Hạn báo cáo quý"]


def test_threshold_for():
    assert reminders.threshold_for(5, (7, 1)) == 7
    assert reminders.threshold_for(1, (7, 1)) == 1
    assert reminders.threshold_for(0, (7, 1)) == 1
    assert reminders.threshold_for(8, (7, 1)) is None
