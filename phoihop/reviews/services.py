"""Review workflows: prepare (ask parties for contributions), compile, edit, hold, issue; and the
signing of a new program that follows a review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.audit.recorder import record_transition
from phoihop.programs.models import Event, Program, ProgramStatus
from phoihop.reviews.models import (
    Contribution,
    Narrative,
    Review,
    ReviewIssuer,
    ReviewItem,
    Section,
)


@dataclass
class ItemInput:
    program: str  # code
    start: dt.date
    end: dt.date


def ensure_may_manage(user, review: Review) -> None:
    if not perms.can(user, perms.MANAGE, review.related_organization_ids()):
        raise PermissionDenied(_("Chỉ cơ quan thường trực hoặc quản trị Ban chỉ đạo được sửa hội nghị này."))


@transaction.atomic
def prepare_review(*, title: str, kind: str, date: dt.date, organizer, items: list[ItemInput], user,
                   committee=None, chair=None, place: str = "Bắc Ninh", contribution_deadline: dt.date | None = None,
                   issuers: list | None = None, is_demo: bool = False) -> Review:
    """Create a review over one or more programs (each with its own period) and ask every party
    for its contribution; nothing is written if any part is invalid."""
    errors: dict[str, list[str]] = {}
    if not items:
        errors.setdefault("items", []).append(_("Hãy chọn ít nhất một chương trình để sơ kết, tổng kết."))
    programs = {p.code: p for p in Program.objects.filter(code__in=[i.program for i in items])}
    for item in items:
        if item.program not in programs:
            errors.setdefault("items", []).append(_("Không có chương trình mã “%(c)s”.") % {"c": item.program})
        if item.end < item.start:
            errors.setdefault("items", []).append(_("Kỳ sơ kết của “%(c)s” kết thúc trước khi bắt đầu.") % {"c": item.program})
    if len({i.program for i in items}) != len(items):
        errors.setdefault("items", []).append(_("Một chương trình được chọn hai lần."))
    if errors:
        raise ValidationError(errors)
    related = {organizer.pk} | {o for p in programs.values() for o in p.related_organization_ids()}
    if user is not None and not perms.can(user, perms.MANAGE, related):
        raise PermissionDenied(_("Chỉ cơ quan thường trực hoặc quản trị Ban chỉ đạo được chuẩn bị hội nghị."))
    review = Review.objects.create(
        title=title, kind=kind, date=date, organizer=organizer, committee=committee, chair=chair, place=place,
        contribution_deadline=contribution_deadline, is_demo=is_demo,
    )
    for order, item in enumerate(items):
        ReviewItem.objects.create(review=review, program=programs[item.program], period_start=item.start, period_end=item.end, order=order)
    for order, issuer in enumerate(issuers or [{"organization": organizer}]):
        ReviewIssuer.objects.create(review=review, order=order, **issuer)
    return review


def parties_of(review: Review):
    from phoihop.organizations.models import Organization

    return Organization.objects.filter(program_parties__program__review_items__review=review).distinct().order_by("name")


def contribution_status(review: Review) -> list[dict]:
    """Who has answered: per party, the names of the sections it wrote, in the report's order."""
    written: dict[int, set[str]] = {}
    for org_id, section, text in review.contributions.values_list("organization_id", "section", "text"):
        if text.strip():
            written.setdefault(org_id, set()).add(section)
    return [{"organization": org, "answered": org.pk in written,
             "sections": [str(label) for value, label in Section.choices if value in written.get(org.pk, set())]}
            for org in parties_of(review)]


def save_contribution(review: Review, organization, section: str, text: str, user) -> Contribution:
    if section not in Section.values:
        raise ValidationError({"section": [_("Phần không hợp lệ.")]})
    if not perms.can(user, perms.REPORT, {organization.pk}):
        raise PermissionDenied(_("Bạn không được gửi ý kiến thay tổ chức này."))
    contribution, _created = Contribution.objects.update_or_create(
        review=review, organization=organization, section=section, defaults={"text": text})
    return contribution


def compiled_text(review: Review, section: str) -> str:
    """The parties' texts for a section, one paragraph each, in party order (attribution is shown
    in the editor, not in the output)."""
    texts = [c.text.strip() for c in review.contributions.filter(section=section).select_related("organization").order_by("organization__name")
             if c.text.strip()]
    return "\n\n".join(texts)


def narrative(review: Review, section: str) -> Narrative | None:
    return review.narratives.filter(section=section).first()


def section_text(review: Review, section: str) -> str:
    """The edited narrative when there is one, else the compiled contributions."""
    item = narrative(review, section)
    return item.text if item is not None else compiled_text(review, section)


def save_narrative(review: Review, section: str, text: str, user, version: int | None) -> Narrative:
    """Save an edited section; a save based on a stale version is refused (both texts kept)."""
    ensure_may_manage(user, review)
    if section not in Section.values:
        raise ValidationError({"section": [_("Phần không hợp lệ.")]})
    with transaction.atomic():
        current = Narrative.objects.select_for_update().filter(review=review, section=section).first()
        if current is None:
            return Narrative.objects.create(review=review, section=section, text=text)
        if version is not None and version != current.version:
            raise ValidationError(_("Phần “%(s)s” vừa được người khác sửa. Nội dung của bạn chưa được lưu; hãy tải lại trang, so sánh và lưu lần nữa.") % {
                "s": current.get_section_display()})
        if current.text != text:
            current.text = text
            current.version += 1
            current.save()
        return current


def move(review: Review, new_status: str, user, note: str = "") -> Review:
    ensure_may_manage(user, review)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        workflow.move(review, new_status, note)
    return review


# ---------------------------------------------------------------- signing the next phase

@transaction.atomic
def record_signing(program: Program, *, signed_on: dt.date, user, event: Event | None = None,
                   review: Review | None = None, predecessors: list[Program] | None = None, carry_forward: bool = True) -> Program:
    """Signing moves the program to signed (and in force from its start), links its predecessors
    and the review that preceded it, and carries the predecessors' content areas and last yearly
    targets forward as a starting point for the new phase."""
    from phoihop.reporting.models import Target

    if user is not None and not perms.can(user, perms.MANAGE, program.related_organization_ids()):
        raise PermissionDenied(_("Chỉ quản trị của một bên tham gia được ghi nhận việc ký kết."))
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status == ProgramStatus.DRAFT:
        workflow.move(program, ProgramStatus.SIGNED, note=f"Ký kết ngày {signed_on:%d/%m/%Y}")  # stored data: Vietnamese
    if program.signing_date != signed_on:
        program.signing_date = signed_on
        program.save()
    predecessors = list(predecessors) if predecessors is not None else []
    if review is not None:
        predecessors += [item.program for item in review.items.select_related("program")]
    predecessors = [p for p in predecessors if p.pk != program.pk]
    if predecessors:
        program.predecessors.add(*predecessors)
    if event is not None:
        event.programs.add(program)
        if review is not None and review.event_id is None:
            Review.objects.filter(pk=review.pk).update(event=event)
    if carry_forward and predecessors:
        program.content_areas.add(*{a for p in predecessors for a in p.content_areas.all()})
        parties = set(program.parties.values_list("organization_id", flat=True))
        first_year = program.start.year
        for pred in predecessors:
            last_year = pred.targets.exclude(year=None).order_by("-year").values_list("year", flat=True).first()
            if last_year is None:
                continue
            for target in pred.targets.filter(year=last_year):
                if target.organization_id is not None and target.organization_id not in parties:
                    continue
                Target.objects.get_or_create(
                    program=program, organization_id=target.organization_id, indicator_id=target.indicator_id,
                    year=first_year, defaults={"value": target.value},
                )
    if program.status == ProgramStatus.SIGNED and program.start <= signed_on:
        workflow.move(program, ProgramStatus.IN_FORCE, note="Có hiệu lực từ ngày ký")
    record_transition(program, "signing", "", signed_on.isoformat(), "Ghi nhận ký kết" + (f" — {review}" if review else ""))
    return program


def issue_report(review: Review, docx: bytes) -> None:
    """Keep the issued .docx so later data changes never alter a signed report."""
    from django.core.files.base import ContentFile

    from phoihop.reviews.models import IssuedReport

    if IssuedReport.objects.filter(review=review).exists():
        return
    issued = IssuedReport(review=review)
    issued.docx.save(f"bao-cao-{review.pk}.docx", ContentFile(docx), save=False)
    issued.save()
