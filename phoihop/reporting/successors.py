"""What reporting copies when a program is created as the successor of another
(`programs.signals.program_succeeded`): the predecessor's targets, as drafts to review."""

from __future__ import annotations

from phoihop.reporting.models import Target


def copy_targets(sender, program, predecessor, replaced: dict[int, list[int]], **kwargs) -> int:
    """Copy the targets of `predecessor` to `program`, saved as drafts (`Target.is_draft`) for the
    standing office and the parties to review on the targets page: a target for a year moves by the
    difference of the start years (those falling outside the new phase are left), a target for the
    whole phase is copied as it is; a dissolved organisation's target goes to its successor (when it
    has exactly one; a body split in several cannot be divided and is left). How many were copied."""
    shift = program.start.year - predecessor.start.year
    last_year = program.end.year if program.end else None
    parties = set(program.parties.values_list("organization_id", flat=True))
    parties |= set(program.invitations.values_list("organization_id", flat=True))
    copied = 0
    taken: set[tuple] = set()
    for target in Target.objects.filter(program=predecessor).order_by("year", "id"):
        org_id = target.organization_id
        if org_id is not None and org_id in replaced:
            heirs = replaced[org_id]
            if len(heirs) != 1:
                continue
            org_id = heirs[0]
        if org_id is not None and org_id not in parties:
            continue
        year = target.year
        if year is not None:
            year += shift
            if year < program.start.year or (last_year is not None and year > last_year):
                continue
        key = (org_id, target.indicator_id, year)
        if key in taken:
            continue
        taken.add(key)
        Target.objects.create(program=program, organization_id=org_id, indicator_id=target.indicator_id,
                              year=year, value=target.value, is_draft=True)
        copied += 1
    return copied
