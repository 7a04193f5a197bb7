"""Reporting deadlines and planned activities in the almanac's upcoming focus and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.urls import reverse

from phoihop.almanac.focus import ACTIVITY, DEADLINE, FocusItem, FocusScope
from phoihop.almanac.reminders import Reminder, threshold_for, users_of
from phoihop.core.formatting import doc_date
from phoihop.core.vietnamese import lower_first
from phoihop.organizations.models import Organization
from phoihop.reporting import periods
from phoihop.reporting.models import Activity, Submission, SubmissionStatus


def _month_codes_due(start: dt.date, end: dt.date) -> list[str]:
    """Month codes whose default deadline (window end + 4 days, i.e. the 18th) falls in [start, end]."""
    codes = periods.months_between(start - dt.timedelta(days=31), end + dt.timedelta(days=31))
    due = []
    for code in codes:
        window = periods.parse(code)
        if start <= periods.default_deadline(window) <= end:
            due.append(code)
    return due


def _reporting_orgs(org_ids) -> Iterable[Organization]:
    qs = Organization.objects.filter(program_parties__program__status__in=["signed", "in_force"]).distinct()
    if org_ids is not None:
        qs = qs.filter(pk__in=org_ids)
    return qs.order_by("name")


def _due(codes: list[str], orgs: list[Organization]):
    """(organisation, period) pairs of the month codes whose report is owed (`obligations`: the
    organisation exists and a program in force covers the month) and not yet sent: a few queries
    per month code, whatever the number of organisations."""
    from phoihop.reporting.obligations import Obligations
    from phoihop.reporting.services import conventions_for, find_period

    conventions = conventions_for(orgs)
    rule = Obligations(orgs)
    for code in codes:
        by_convention = {convention: find_period(code, convention) for convention in sorted(set(conventions.values()))}
        sent = set(
            Submission.objects.filter(
                period_id__in=[p.pk for p in by_convention.values() if p.pk is not None], organization__in=orgs,
                status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED, SubmissionStatus.APPROVED],
            ).values_list("organization_id", "period_id")
        )
        for org in orgs:
            period = by_convention[conventions[org.pk]]
            if not rule.owes(org, period):
                continue
            if period.pk is None or (org.pk, period.pk) not in sent:
                yield org, period


def deadline_items(scope: FocusScope) -> Iterable[FocusItem]:
    orgs = list(_reporting_orgs(scope.organization_ids))
    for org, period in _due(_month_codes_due(scope.start, scope.end), orgs):
        yield FocusItem(
            kind=DEADLINE, date=period.deadline,
            title=f"Hạn gửi báo cáo {lower_first(period.label)} — {org.short_name or org.name}",
            detail=f"Số liệu từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}",
            url=reverse("reporting:grid", args=[org.pk, period.code]),
        )


def planned_activity_items(scope: FocusScope) -> Iterable[FocusItem]:
    qs = Activity.objects.filter(status=Activity.Status.PLANNED, start_date__gte=scope.start, start_date__lte=scope.end)
    if scope.program is not None:
        qs = qs.filter(program=scope.program)
    if scope.organization_ids is not None:
        from django.db.models import Q

        qs = qs.filter(Q(lead_organization_id__in=scope.organization_ids) | Q(co_organizers__in=scope.organization_ids)).distinct()
    for activity in qs.select_related("lead_organization").order_by("start_date")[:50]:
        yield FocusItem(
            kind=ACTIVITY, date=activity.start_date, title=activity.title,
            detail=f"Chủ trì: {activity.lead_organization.short_name or activity.lead_organization.name}",
            url=reverse("reporting:activity", args=[activity.pk]),
        )


def deadline_reminders(today: dt.date, days: Sequence[int]) -> Iterable[Reminder]:
    if not days:
        return
    orgs = list(_reporting_orgs(None))
    for org, period in _due(_month_codes_due(today, today + dt.timedelta(days=max(days))), orgs):
        threshold = threshold_for((period.deadline - today).days, days)
        if threshold is None:
            continue
        yield Reminder(
            key=f"deadline:{org.pk}:{period.convention}:{period.code}:{threshold}d",
            due=period.deadline,
            subject=f"[Phối Hợp] Hạn gửi báo cáo {lower_first(period.label)}: {doc_date(period.deadline)}",
            body="\n".join([
                f"Đơn vị: {org.name}",
                f"Kỳ báo cáo: {period.label} (số liệu từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y})",
                f"Hạn gửi: {doc_date(period.deadline)}",
                "", "Thư này do Phối Hợp gửi tự động (lệnh phoihop remind).",
            ]),
            recipients=list(users_of([org.pk])),
        )
