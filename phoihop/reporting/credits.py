"""Figures of activities credited to the organisations that ran them (the lead and the co-organisers).

Write-side support kept in reporting: the entry grid shows an organisation the figures already
credited to it by joint activities (`joint_values_for`), so they are not typed again, and
`results.aggregation` adds the same figures to the data values (`activity_figures`). Reporting
never imports the read side (docs/adr/0006-read-side.md); the read side imports this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from phoihop.core.sql import decimal_of
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    Indicator,
    Submission,
    SubmissionStatus,
)

A = Indicator.Aggregation


@dataclass
class ActivityFigures:
    per_org: dict[tuple, Decimal] = field(default_factory=dict)  # (org, indicator) → credited value
    joint_per_org: dict[tuple, Decimal] = field(default_factory=dict)
    total: dict[int, Decimal] = field(default_factory=dict)  # indicator → each activity once
    joint_total: dict[int, Decimal] = field(default_factory=dict)


def _activities(programs: list[Program] | None, org_ids, date_from, date_to, *, include_unapproved=False, year=None):
    """Done activities ended in the window, credited to one of `org_ids`, of `programs` (or of none)."""
    through = Activity.co_organizers.through
    org_ids = list(org_ids)
    qs = Activity.objects.filter(status=Activity.Status.DONE, end_date__gte=date_from, end_date__lte=date_to).filter(
        Q(lead_organization_id__in=org_ids)
        | Exists(through.objects.filter(activity_id=OuterRef("pk"), organization_id__in=org_ids))
    )
    if programs is not None:
        qs = qs.filter(Q(program__in=programs) | Q(program__isnull=True))
    if year is not None:
        qs = qs.filter(end_date__year=year)
    if not include_unapproved:
        approved = Submission.objects.filter(
            organization_id=OuterRef("lead_organization_id"), status=SubmissionStatus.APPROVED,
            period__start__lte=OuterRef("end_date"), period__end__gte=OuterRef("end_date"),
        )
        qs = qs.filter(Exists(approved))
    return qs


def activity_figures(program: Program | None, org_ids, indicator_ids, date_from, date_to, *,
                     include_unapproved=False, year=None, programs: list[Program] | None = None) -> ActivityFigures:
    """Figures of activities ended in the window, credited to lead and co-organisers.

    `program` limits to its activities (and those of no program); `programs` to several programs.
    Two queries: the figures of the activities that count (the approval check runs once per
    activity, in the database) and, by their ids, their co-organisers; the crediting is done here.
    """
    if programs is None and program is not None:
        programs = [program]
    through = Activity.co_organizers.through
    org_ids = list(org_ids)
    indicator_ids = list(indicator_ids)
    figures = ActivityFigures()
    if not org_ids or not indicator_ids:
        return figures
    activities = _activities(programs, org_ids, date_from, date_to, include_unapproved=include_unapproved, year=year)
    values: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    leads: dict[int, int] = {}
    rows = ActivityValue.objects.filter(activity__in=activities, indicator_id__in=indicator_ids).values_list(
        "activity_id", "activity__lead_organization_id", "indicator_id", "value",
    )
    for activity_id, lead_id, indicator_id, value in rows:
        leads[activity_id] = lead_id
        values[activity_id].append((indicator_id, decimal_of(value)))
    if not values:
        return figures
    co: dict[int, list[int]] = defaultdict(list)
    ids = sorted(values)  # the activities that count, known now: no second approval check
    for i in range(0, len(ids), 20_000):
        pairs = through.objects.filter(activity_id__in=ids[i:i + 20_000]).values_list("activity_id", "organization_id")
        for activity_id, org_id in pairs:
            co[activity_id].append(org_id)
    wanted = set(org_ids)

    def add(target: dict, key, amount: Decimal) -> None:
        target[key] = target.get(key, Decimal(0)) + amount

    for activity_id, figures_of in values.items():
        lead_id, partners = leads[activity_id], co.get(activity_id, [])
        joint = bool(partners)
        credited = ([lead_id] if lead_id in wanted else []) + sorted(
            {o for o in partners if o in wanted and o != lead_id}
        )
        for indicator_id, amount in figures_of:
            add(figures.total, indicator_id, amount)
            if joint:
                add(figures.joint_total, indicator_id, amount)
            for org_id in credited:
                add(figures.per_org, (org_id, indicator_id), amount)
                if joint:
                    add(figures.joint_per_org, (org_id, indicator_id), amount)
    return figures


def joint_values_for(organization: Organization, period) -> dict[int, Decimal]:
    """Figures of activities credited to an organisation in a period, approved or not (shown in
    the entry grid: they already count for the organisation and must not be typed again)."""
    ids = list(Indicator.objects.filter(aggregation=A.SUM).values_list("pk", flat=True))
    acts = activity_figures(None, [organization.pk], ids, period.start, period.end, include_unapproved=True)
    return {ind: v for (_org, ind), v in acts.per_org.items()}
