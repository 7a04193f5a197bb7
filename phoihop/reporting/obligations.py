"""Who owes which report: the one rule behind every period list and report state.

An organisation owes a report for a period when, on the period's last day (`period.end`, the day
its figures are cut off: the 14th under Decree 09/2019/NĐ-CP, the month's last day under calendar
periods), both hold:

1. the organisation exists: `valid_from ≤ end ≤ valid_to` (open ends allowed);
2. it is a party of a program that counts that day: signed, in force or ended — a draft never —
   whose phase holds the day: `start ≤ end ≤ end of phase` (an open end allowed). An ended
   program still counts for the months of its phase: its reports were owed then, and its reviews
   still list the months missing.

Why the last day, for both: the figures of a period count for a program when the period ends
inside its phase (`results.aggregation`), so the same day decides whether a report is owed. With
a reorganisation it splits the periods between a body and its successor without gap or overlap: a
body ended on 30/06/2025 owes Decree 09's June (15/05 – 14/06) and not July (15/06 – 14/07), which
its successor, existing from 01/07/2025, owes; under calendar periods the body owes June and the
successor July.

"Late" (quá hạn) follows: a report owed, not sent (none, a draft or returned) after its deadline.
Used by my periods and the reporter's dashboard (`overview.period_rows`, `recent_period_rows`),
the office heat map (`overview.completeness_matrix`), the upcoming deadlines
(`calendar_hooks`), the entry grid's refusal (`refusal`) and the months missing from a
program's results (`results.aggregation.missing_reports`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from phoihop.core.formatting import short_date
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program, ProgramParty, ProgramStatus

COUNTING = (ProgramStatus.SIGNED, ProgramStatus.IN_FORCE, ProgramStatus.ENDED)


def program_counts(program: Program) -> bool:
    """Whether a program can make its parties report at all (a draft cannot)."""
    return program.status in COUNTING


def in_phase(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


def exists_on(organization: Organization, day: dt.date) -> bool:
    return organization.is_valid_on(day)


def owed_under(program: Program, organization: Organization, period) -> bool:
    """The rule for one program: `organization` (a party of it) owes it the report of `period`
    (a Period, or a `periods.Window`)."""
    return program_counts(program) and in_phase(program.start, program.end, period.end) and exists_on(organization, period.end)


def _name(period) -> str:
    return getattr(period, "name", None) or period.label


class Obligations:
    """The rule for many organisations at once: each one's programs that count (their phases)
    read in one query, then every question answered in memory."""

    def __init__(self, organizations: Iterable[Organization]) -> None:
        self.organizations = {o.pk: o for o in organizations}
        self.phases: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        rows = (ProgramParty.objects.filter(organization_id__in=self.organizations, program__status__in=COUNTING)
                .values_list("organization_id", "program_id", "program__start", "program__end").distinct())
        for org_id, program_id, start, end in rows:
            self.phases[org_id].append((program_id, start, end))

    def programs_on(self, organization: Organization | int, day: dt.date) -> list[int]:
        """The programs that count on `day` of which the organisation is a party."""
        org_id = getattr(organization, "pk", organization)
        return [p for p, start, end in self.phases.get(org_id, ()) if in_phase(start, end, day)]

    def owes(self, organization: Organization | int, period) -> bool:
        """Whether the organisation owes the report of `period` (a Period or a `periods.Window`)."""
        org = self.organizations[getattr(organization, "pk", organization)]
        return exists_on(org, period.end) and bool(self.programs_on(org, period.end))

    def refusal(self, organization: Organization | int, period) -> str | None:
        """Why the organisation owes no report for `period`, in Vietnamese; None when it owes one."""
        org = self.organizations[getattr(organization, "pk", organization)]
        gone = life_refusal(org, period)
        if gone:
            return gone
        if not self.programs_on(org, period.end):
            return _("%(o)s không phải báo cáo %(p)s: vào ngày chốt số liệu %(e)s, tổ chức không tham gia chương "
                     "trình phối hợp nào đã ký kết và còn trong giai đoạn thực hiện.") % {
                "o": org.name, "p": _name(period), "e": short_date(period.end)}
        return None


def life_refusal(organization: Organization, period) -> str | None:
    """Why `organization` cannot report `period` at all — it did not exist on the period's last
    day (not yet founded, or already ended; its successors named) —, in Vietnamese; else None.
    Every door that writes a report's values or sends it refuses with this message
    (`bulk.save_batches`, `services.submit`); no query unless the organisation has ended."""
    day = period.end
    values = {"o": organization.name, "p": _name(period), "e": short_date(day)}
    if organization.valid_from is not None and day < organization.valid_from:
        return _("%(o)s hoạt động từ ngày %(d)s nên không có báo cáo %(p)s (số liệu chốt ngày %(e)s).") % {
            **values, "d": short_date(organization.valid_from)}
    if organization.valid_to is not None and day > organization.valid_to:
        message = _("%(o)s đã kết thúc hoạt động ngày %(d)s nên không có báo cáo %(p)s (số liệu chốt ngày %(e)s).") % {
            **values, "d": short_date(organization.valid_to)}
        heirs = [link.successor.name for link in
                 organization.successor_links.select_related("successor").order_by("successor__name")]
        if heirs:
            message += " " + _("Tổ chức kế tục: %(s)s.") % {"s": ", ".join(heirs)}
        return message
    return None


def owes(organization: Organization, period) -> bool:
    """`Obligations.owes` for one organisation."""
    return Obligations([organization]).owes(organization, period)


def refusal(organization: Organization, period) -> str | None:
    """`Obligations.refusal` for one organisation."""
    return Obligations([organization]).refusal(organization, period)
