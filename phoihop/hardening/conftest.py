"""Shared fixtures of the hardening suite (see docs/hardening.md).

`private_world` gives org_a one non-public object of every kind, each carrying a unique ASCII
marker string (and two marker numbers) that must never reach `outsider`, a reporter of org_b.
org_b is a party of one signed (public) program together with org_a, so the outsider is as close
to org_a's data as a stranger can be.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from phoihop import factories as f

# Marker strings: ASCII capitals only, so no escaping, JSON encoding or XML can alter them.
MARKERS = {
    "program_title": "ZQXDRAFTPROGRAMTITLE",
    "program_purpose": "ZQXDRAFTPROGRAMPURPOSE",
    "responsibility": "ZQXRESPONSIBILITYTEXT",
    "event_title": "ZQXPRIVATEEVENTTITLE",
    "event_outcome": "ZQXPRIVATEEVENTOUTCOME",
    "activity_title": "ZQXPRIVATEACTIVITYTITLE",
    "activity_result": "ZQXPRIVATEACTIVITYRESULT",
    "shared_activity_title": "ZQXSHAREDPROGRAMACTIVITY",
    "attachment_caption": "ZQXATTACHMENTCAPTION",
    "review_title": "ZQXPRIVATEREVIEWTITLE",
    "contribution": "ZQXREVIEWCONTRIBUTION",
    "narrative": "ZQXREVIEWNARRATIVE",
    "theme": "ZQXYEARTHEMETEXT",
    "resolution": "ZQXYEARRESOLUTION",
    "value_comment": "ZQXUNAPPROVEDVALUECOMMENT",
    "return_reason": "ZQXRETURNREASON",
}
# Marker numbers: an unapproved value of org_a in the shared program, a target of the draft
# program. Searched as written by the API (987654), the pages (987.654) and exports.
NUMBERS = {
    "unapproved_value": 987654,
    "draft_target": 876543,
}


def number_forms(n: int) -> list[str]:
    plain = str(n)
    grouped = f"{n:,}"
    return [plain, grouped.replace(",", "."), grouped, grouped.replace(",", "\u00a0"), grouped.replace(",", " ")]


def open_month_code(today: dt.date | None = None) -> str:
    """The Decree 09 month period that holds today (from the 15th, next month's)."""
    today = today or timezone.localdate()
    y, m = today.year, today.month
    if today.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y}-{m:02d}"


def previous_month_code(code: str) -> str:
    y, m = int(code[:4]), int(code[5:7])
    y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return f"{y}-{m:02d}"


@dataclass
class World:
    org_a: object
    org_b: object
    outsider: object
    insider: object
    draft_program: object
    shared_program: object
    event: object
    activity: object
    shared_activity: object
    review: object
    shared_review: object
    theme: object
    committee: object
    period_codes: list[str]
    pks: dict[str, int] = field(default_factory=dict)
    # The escalation pass: a committee administrator of an organisation party to none of org_a's
    # objects, and a pending invitation of org_a's draft program to a third organisation.
    stranger_org: object = None
    attacker: object = None
    invitation: object = None


@pytest.fixture
def private_world(org_a, org_b, outsider, manager, draft_program, private_event) -> World:
    from phoihop.almanac.services import save_year_theme
    from phoihop.audit import workflow
    from phoihop.programs.models import (
        ContentArea,
        PartyInvitation,
        ProgramStatus,
        Responsibility,
        SteeringCommittee,
    )
    from phoihop.reporting import bulk, services
    from phoihop.reporting.models import Activity, Attachment, SubmissionStatus, Target
    from phoihop.reviews.models import Contribution, Narrative, Section
    from phoihop.reviews.services import ItemInput, prepare_review

    today = timezone.localdate()
    areas = ContentArea.objects.filter(code__in=["recruitment", "gratitude"])

    # The draft program of org_a alone, with a responsibility and a target.
    draft_program.title = f"Chương trình dự thảo {MARKERS['program_title']}"
    draft_program.purpose = f"Mục đích {MARKERS['program_purpose']}"
    draft_program.start, draft_program.end = dt.date(2019, 1, 1), None
    draft_program.save()
    draft_program.content_areas.set(areas)
    party = draft_program.parties.get(organization=org_a)
    Responsibility.objects.create(program=draft_program, party=party, content_area=areas.get(code="recruitment"),
                                  level="lead", text=f"Trách nhiệm {MARKERS['responsibility']}")
    Target.objects.create(program=draft_program, organization=org_a, indicator=_indicator("recruit_enlisted"),
                          year=today.year, value=Decimal(NUMBERS["draft_target"]))

    # A signed program of org_a and org_b: public, so the outsider may see it (not its drafts).
    shared = f.ProgramFactory(code="ct-chung", title="Chương trình phối hợp chung đã ký", start=dt.date(2019, 1, 1),
                              end=None, status=ProgramStatus.SIGNED, signing_date=dt.date(2019, 1, 1))
    f.PartyFactory(program=shared, organization=org_a, role="lead")
    f.PartyFactory(program=shared, organization=org_b, role="member")
    shared.content_areas.set(areas)
    committee = SteeringCommittee.objects.create(name="Ban chỉ đạo thử nghiệm", standing_office=org_a)
    committee.programs.add(draft_program, shared)

    # The private event, soon (so calendars and feeds of the insider show it).
    private_event.title = f"Giao ban {MARKERS['event_title']}"
    private_event.outcome = f"Kết quả {MARKERS['event_outcome']}"
    private_event.starts_at = timezone.now() + dt.timedelta(days=2)
    private_event.save()

    # Activities of org_a: one in the draft program, one in the shared program (its month is not approved).
    recent = today - dt.timedelta(days=1)
    activity = Activity.objects.create(
        title=f"Thăm hỏi {MARKERS['activity_title']}", content_area=areas.get(code="gratitude"), lead_organization=org_a,
        program=draft_program, start_date=recent, end_date=recent, result=f"Kết quả {MARKERS['activity_result']}",
    )
    Attachment.objects.create(activity=activity, file=f"attachments/{activity.pk}/bien-ban.pdf",
                              caption=f"Biên bản {MARKERS['attachment_caption']}", content_type="application/pdf", size=10)
    shared_activity = Activity.objects.create(
        title=f"Tuyên truyền {MARKERS['shared_activity_title']}", content_area=areas.get(code="recruitment"),
        lead_organization=org_a, program=shared, start_date=recent, end_date=recent,
    )

    # A review in preparation of the draft program (private), and one of the shared program
    # (visible to the outsider, whose organisation is a party: its draft figures are not).
    review = prepare_review(title=f"Sơ kết {MARKERS['review_title']}", kind="interim", date=today, organizer=org_a, user=None,
                            items=[ItemInput(draft_program.code, dt.date(2019, 1, 1), today)])
    Contribution.objects.create(review=review, organization=org_a, section=Section.RESULTS,
                                text=f"Ý kiến {MARKERS['contribution']}")
    Narrative.objects.create(review=review, section=Section.SITUATION, text=f"Tình hình {MARKERS['narrative']}")
    shared_review = prepare_review(title="Sơ kết chương trình chung", kind="interim", date=today, organizer=org_b, user=None,
                                   items=[ItemInput(shared.code, dt.date(2019, 1, 1), today + dt.timedelta(days=400))])

    theme = save_year_theme(year=today.year, organization=org_a, theme=f"Chủ đề {MARKERS['theme']}",
                            resolutions=[f"Nghị quyết {MARKERS['resolution']}"])

    # Unapproved values of org_a in the open month; a returned report the month before.
    code = open_month_code(today)
    convention = services.convention_for(org_a)
    period = services.get_period(code, convention)
    result = bulk.save_values(org_a, period, None, [
        services.CellInput("recruit_called", NUMBERS["unapproved_value"], comment=f"Ghi chú {MARKERS['value_comment']}"),
        services.CellInput("recruit_enlisted", 12),
    ], check_permission=False)
    assert result.ok, (result.errors, result.conflicts)
    returned = services.submission_for(org_a, services.get_period(previous_month_code(code), convention))
    workflow.move(returned, SubmissionStatus.SUBMITTED)
    workflow.move(returned, SubmissionStatus.RETURNED, f"Trả lại {MARKERS['return_reason']}")

    stranger_org = f.OrganizationFactory(name="Đoàn Thanh niên thành phố Thử", short_name="Đoàn TN")
    attacker = f.UserFactory(username="attacker")
    f.MembershipFactory(user=attacker, organization=stranger_org, role="committee_admin")
    invited = f.OrganizationFactory(name="Hội Cựu chiến binh thành phố Thử", short_name="Hội CCB")
    invitation = PartyInvitation.objects.create(program=draft_program, organization=invited, invited_by=manager)

    world = World(org_a=org_a, org_b=org_b, outsider=outsider, insider=manager, draft_program=draft_program,
                  shared_program=shared, event=private_event, activity=activity, shared_activity=shared_activity,
                  review=review, shared_review=shared_review, theme=theme, committee=committee,
                  period_codes=[code, previous_month_code(code)], stranger_org=stranger_org, attacker=attacker,
                  invitation=invitation)
    world.pks = {"event": private_event.pk, "activity": activity.pk, "shared_activity": shared_activity.pk,
                 "review": review.pk, "shared_review": shared_review.pk, "theme": theme.pk, "committee": committee.pk,
                 "org_a": org_a.pk}
    return world


def world_snapshot(world: World) -> list[dict]:
    """Every stored row of org_a's world (fields and many-to-many links, `updated_at` included so a
    rewrite with the same values counts too): what an attacker's writes must leave as it was."""
    from django.core import serializers
    from django.db.models import Q

    from phoihop.almanac.models import YearTheme
    from phoihop.programs.models import (
        Event,
        PartyInvitation,
        Program,
        ProgramParty,
        Responsibility,
        SteeringCommittee,
    )
    from phoihop.reporting.models import (
        Activity,
        ActivityValue,
        Attachment,
        DataValue,
        Submission,
        Target,
    )
    from phoihop.reviews.models import Contribution, Narrative, Review, ReviewIssuer, ReviewItem

    programs = [world.draft_program.pk, world.shared_program.pk]
    reviews = [world.review.pk, world.shared_review.pk]
    activities = Activity.objects.filter(Q(lead_organization=world.org_a) | Q(program__in=programs))
    querysets = [
        Program.objects.filter(pk__in=programs),
        ProgramParty.objects.filter(Q(program__in=programs) | Q(organization=world.org_a)),
        PartyInvitation.objects.filter(program__in=programs),
        Responsibility.objects.filter(program__in=programs),
        Target.objects.filter(program__in=programs),
        SteeringCommittee.objects.filter(pk=world.committee.pk),
        Event.objects.filter(Q(pk=world.event.pk) | Q(programs__in=programs)).distinct(),
        Review.objects.filter(pk__in=reviews),
        ReviewItem.objects.filter(review__in=reviews),
        ReviewIssuer.objects.filter(review__in=reviews),
        Contribution.objects.filter(review__in=reviews),
        Narrative.objects.filter(review__in=reviews),
        activities,
        ActivityValue.objects.filter(activity__in=activities),
        Attachment.objects.filter(activity__in=activities),
        DataValue.objects.filter(organization=world.org_a),
        Submission.objects.filter(organization=world.org_a),
        YearTheme.objects.filter(pk=world.theme.pk),
    ]
    rows = []
    for qs in querysets:
        rows.extend(serializers.serialize("python", qs.order_by("pk")))
    return rows


def _indicator(code: str):
    from phoihop.reporting.models import Indicator

    return Indicator.objects.get(code=code)
