"""Activities: the one place that writes an activity, its figures, co-organisers and attachments.

Every door (the activity pages, the API, the admin) calls `create_activity`, `update_activity`
or `delete_activity(ies)`; each checks everything before writing, runs in one transaction and
leaves an audit entry for every row it writes (figures and attachments included, one `save()` or
`delete()` each, so the audit signals see them).

The lock rule, one for every door and the same as for reported values: a *done* activity counts
in its lead organisation's month report covering its end date, so it is written only while that
month is open for entry (`Submission.entry_open`: not submitted or approved, and before the
period's `closes_on` unless the standing office reopened it until a later day). A submitted or
approved report of any period covering the end date (a quarter, a year) locks it as well. The
rule applies to the activity before the change and after it: moving a done activity into or out
of a locked month, switching a planned one to done in a locked month, changing a locked one
(its figures included) or deleting it are all refused with the report's reason; checking never
creates Period or Submission rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.context import acting_as, current_actor
from phoihop.core.bounds import check_date
from phoihop.core.uploads import check_attachment
from phoihop.organizations.models import Organization
from phoihop.reporting import periods
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    Attachment,
    Indicator,
    Submission,
    SubmissionStatus,
)

# The activity's own fields a change is compared on (every editable concrete field).
FIELDS = ("plan", "program", "title", "content_area", "lead_organization", "status", "start_date", "end_date",
          "place", "place_text", "participants", "funds_spent", "funds_mobilised", "result", "is_demo")


@dataclass
class AttachmentInput:
    file: object  # an uploaded file
    caption: str = ""


# ---------------------------------------------------------------- the lock

def month_covering(day: dt.date, convention: str) -> str:
    """The code of the month period whose window holds `day` (from the 15th, Decree 09 counts
    the day in the next month)."""
    y, m = day.year, day.month
    if convention == periods.DECREE_09 and day.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return periods.month_code(y, m)


def activity_lock(lead_id: int | None, end_date: dt.date | None, status: str, today: dt.date | None = None,
                  *, for_update: bool = False) -> Submission | None:
    """The report that keeps a done activity of `lead_id` ending on `end_date` from being written
    (possibly an unsaved Submission of a month nobody opened yet, whose window has closed), or
    None while it may be written. Give it to `services.locked_message` for the reason."""
    if status != Activity.Status.DONE or lead_id is None or end_date is None:
        return None
    covering = Submission.objects.filter(
        organization_id=lead_id, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED, SubmissionStatus.APPROVED],
        period__start__lte=end_date, period__end__gte=end_date,
    ).select_related("period", "organization").order_by("period__start", "pk")
    if for_update:
        covering = covering.select_for_update(of=("self",))
    locked = covering.first()
    if locked is not None:
        return locked
    from phoihop.reporting.services import convention_for, find_period, find_submission

    lead = Organization.objects.get(pk=lead_id)
    convention = convention_for(lead)
    submission = find_submission(lead, find_period(month_covering(end_date, convention), convention))
    return None if submission.entry_open(today) else submission


def _refusal(lock: Submission, moving: bool = False) -> ValidationError:
    from phoihop.reporting.services import locked_message

    message = locked_message(lock)
    if moving:
        message = _("Không chuyển được hoạt động ra khỏi kỳ báo cáo đã khóa. %(reason)s") % {"reason": message}
    return ValidationError({"end_date": [message]})


# ---------------------------------------------------------------- checks shared by create and update

def _check_fields(activity: Activity, co_ids: set[int] | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    for name, label in (("start_date", _("Ngày bắt đầu")), ("end_date", _("Ngày kết thúc"))):
        try:
            check_date(getattr(activity, name), name, label)
        except ValidationError as exc:
            errors[name].extend(exc.message_dict[name])
    if activity.start_date and activity.end_date and not errors and activity.end_date < activity.start_date:
        errors["end_date"].append(_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
    try:
        activity.clean_fields(exclude=["start_date", "end_date", "search_text"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors[name].extend(messages)
    if activity.program_id and activity.lead_organization_id and not activity.program.parties.filter(
            organization_id=activity.lead_organization_id).exists():
        errors["program"].append(_("Đơn vị chủ trì không phải là một bên của chương trình này."))
    if co_ids is not None:
        if activity.lead_organization_id in co_ids:
            errors["co_organizers"].append(_("Đơn vị chủ trì không cần chọn lại ở đơn vị phối hợp."))
        missing = co_ids - set(Organization.objects.filter(pk__in=co_ids).values_list("pk", flat=True))
        if missing:
            errors["co_organizers"].append(_("Không có tổ chức mã số %(ids)s.") % {"ids": ", ".join(str(m) for m in sorted(missing))})
    return errors


def _check_figures(figures: Iterable[tuple], errors: dict[str, list[str]]) -> dict[int, Decimal]:
    """{indicator id: value} of (indicator or its code, value) pairs; problems go to errors["values"]."""
    from phoihop.reporting.services import check_range, parse_number

    figures = list(figures)
    codes = {ref for ref, _value in figures if isinstance(ref, str)}
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}
    result: dict[int, Decimal] = {}
    for n, (ref, raw) in enumerate(figures, start=1):
        indicator = by_code.get(ref) if isinstance(ref, str) else ref
        if indicator is None or indicator.is_computed or not indicator.is_numeric:
            errors["values"].append(_("Dòng %(n)s: không có chỉ số “%(code)s” (hoặc là chỉ số tự tính, không nhập được).") % {
                "n": n, "code": ref if isinstance(ref, str) else getattr(ref, "name", ref)})  # as sent, or its name
            continue
        if indicator.pk in result:
            errors["values"].append(_("Dòng %(n)s: chỉ số “%(code)s” bị nhập hai lần.") % {"n": n, "code": indicator.name})
            continue
        try:
            value = parse_number(raw, indicator)
        except ValueError as exc:
            errors["values"].append(_("Dòng %(n)s: %(name)s: %(problem)s") % {"n": n, "name": indicator.name, "problem": exc})
            continue
        problem = check_range(value, indicator) if value is not None else _("cần có giá trị")
        if problem:
            errors["values"].append(_("Dòng %(n)s: %(name)s: %(problem)s") % {"n": n, "name": indicator.name, "problem": problem})
            continue
        result[indicator.pk] = value
    return result


def _ids(organizations) -> set[int] | None:
    if organizations is None:
        return None
    return {o if isinstance(o, int) else o.pk for o in organizations}


@contextlib.contextmanager
def _attributed(user):
    """Attribute the writes to `user` unless the request or command already named someone."""
    if current_actor() is not None:
        yield
        return
    with acting_as(user if getattr(user, "pk", None) else None, label="" if getattr(user, "pk", None) else "phoihop"):
        yield


def _ensure_may_report(user, org_id: int) -> None:
    from phoihop.reporting.services import ensure_may_report

    ensure_may_report(user, Organization.objects.get(pk=org_id))


# ---------------------------------------------------------------- the three operations

def create_activity(user, activity: Activity, *, co_organizers=(), figures: Iterable[tuple] = (),
                    attachments: Iterable[AttachmentInput] = (), today: dt.date | None = None) -> Activity:
    """Write a new activity (an unsaved `Activity` holding its fields), its co-organisers, its
    figures ((indicator or code, value) pairs) and attachments: all or nothing.

    ValidationError ({field: [messages]}) for bad input or a locked month; PermissionDenied /
    Http404 when `user` does not report for the lead organisation."""
    if activity.pk is not None:
        raise ValueError("create_activity takes an unsaved activity; use update_activity.")
    if activity.lead_organization_id is None:
        raise ValidationError({"lead_organization": [_("Hãy chọn đơn vị chủ trì.")]})
    _ensure_may_report(user, activity.lead_organization_id)
    co_ids = _ids(co_organizers) or set()
    errors = _check_fields(activity, co_ids)
    wanted = _check_figures(figures, errors)
    attachments = list(attachments)
    _check_attachments(attachments, errors)
    if errors:
        raise ValidationError(dict(errors))
    with transaction.atomic(), _attributed(user):
        lock = activity_lock(activity.lead_organization_id, activity.end_date, activity.status, today, for_update=True)
        if lock is not None:
            raise _refusal(lock)
        activity.save()
        if co_ids:
            activity.co_organizers.set(co_ids)
        for indicator_id, value in wanted.items():
            ActivityValue.objects.create(activity=activity, indicator_id=indicator_id, value=value)
        _attach(activity, attachments)
    return activity


def update_activity(user, activity: Activity, *, co_organizers=None, figures: Iterable[tuple] | None = None,
                    attachments: Iterable[AttachmentInput] = (), today: dt.date | None = None) -> Activity:
    """Write the changes held by a stored `activity` (its fields as the caller set them), and,
    when given, its co-organisers and its figures (the whole new set: a figure left out is
    deleted), and new attachments: all or nothing. A call that changes nothing writes nothing.

    Refused (ValidationError) when the activity as stored, or as it would be, is locked."""
    if activity.pk is None:
        raise ValueError("update_activity takes a stored activity; use create_activity.")
    co_ids = _ids(co_organizers)
    attachments = list(attachments)
    with transaction.atomic(), _attributed(user):
        before = Activity.objects.select_for_update().get(pk=activity.pk)
        _ensure_may_report(user, before.lead_organization_id)
        if activity.lead_organization_id != before.lead_organization_id:
            if activity.lead_organization_id is None:
                raise ValidationError({"lead_organization": [_("Hãy chọn đơn vị chủ trì.")]})
            _ensure_may_report(user, activity.lead_organization_id)
        errors = _check_fields(activity, co_ids)
        wanted = _check_figures(figures, errors) if figures is not None else None
        _check_attachments(attachments, errors)
        if errors:
            raise ValidationError(dict(errors))
        stored_figures = {v.indicator_id: v for v in before.values.all()}
        stored_co = set(before.co_organizers.values_list("pk", flat=True))
        fields_changed = any(getattr(before, f.attname) != getattr(activity, f.attname)
                             for f in (Activity._meta.get_field(name) for name in FIELDS))
        co_changed = co_ids is not None and co_ids != stored_co
        figures_changed = wanted is not None and wanted != {k: v.value for k, v in stored_figures.items()}
        if not (fields_changed or co_changed or figures_changed or attachments):
            return activity
        lock_before = activity_lock(before.lead_organization_id, before.end_date, before.status, today, for_update=True)
        if lock_before is not None:
            moved = (before.lead_organization_id, before.end_date, before.status) != (
                activity.lead_organization_id, activity.end_date, activity.status)
            raise _refusal(lock_before, moving=moved)
        lock_after = activity_lock(activity.lead_organization_id, activity.end_date, activity.status, today, for_update=True)
        if lock_after is not None:
            raise _refusal(lock_after)
        if fields_changed:
            activity.save()
        if co_changed:
            activity.co_organizers.set(co_ids)
        if figures_changed:
            for indicator_id, stored in stored_figures.items():
                if indicator_id not in wanted:
                    stored.delete()
                elif stored.value != wanted[indicator_id]:
                    stored.value = wanted[indicator_id]
                    stored.save()
            for indicator_id, value in wanted.items():
                if indicator_id not in stored_figures:
                    ActivityValue.objects.create(activity=activity, indicator_id=indicator_id, value=value)
        _attach(activity, attachments)
    return activity


def delete_activity(user, activity: Activity, *, today: dt.date | None = None) -> None:
    """Delete an activity with its figures and attachments (each deletion audited); refused while
    it is locked."""
    delete_activities(user, [activity], today=today)


def delete_activities(user, activities: Iterable[Activity], *, today: dt.date | None = None) -> int:
    """Delete several activities: all of them, or none when one is locked or not the user's."""
    ids = [a.pk for a in activities]
    with transaction.atomic(), _attributed(user):
        stored = list(Activity.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        for activity in stored:
            _ensure_may_report(user, activity.lead_organization_id)
            lock = activity_lock(activity.lead_organization_id, activity.end_date, activity.status, today, for_update=True)
            if lock is not None:
                raise ValidationError(_("Không xóa được hoạt động “%(title)s”. %(reason)s") % {
                    "title": activity.title, "reason": _refusal(lock).message_dict["end_date"][0]})
        for activity in stored:
            for figure in activity.values.all():
                figure.delete()
            for attachment in activity.attachments.all():
                attachment.delete()
            activity.co_organizers.clear()
            activity.delete()
    return len(stored)


def _check_attachments(attachments: list[AttachmentInput], errors) -> None:
    """Each file checked by what it really is (`core.uploads`), whatever the door; the
    stored content type is the verified one, never the one the sender declared."""
    for item in attachments:
        try:
            item.file.content_type = check_attachment(item.file).content_type
        except ValidationError as exc:
            errors["attachment"].extend(exc.messages)


def _attach(activity: Activity, attachments: list[AttachmentInput]) -> None:
    for item in attachments:
        upload = item.file
        Attachment.objects.create(activity=activity, file=upload, caption=item.caption or "",
                                  content_type=getattr(upload, "content_type", "") or "", size=getattr(upload, "size", 0) or 0)


def field_errors(exc: ValidationError, known: Iterable[str]) -> dict[str | None, list[str]]:
    """A ValidationError's messages by form field, those of fields the form lacks under None."""
    result: dict[str | None, list[str]] = defaultdict(list)
    known = set(known)
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            result[name if name in known else None].extend(messages)
    else:
        result[None].extend(exc.messages)
    return dict(result)
