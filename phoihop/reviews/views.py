"""The review wizard: programs and periods → contributions → figures and charts → narrative
editing → preview → download .docx / .pdf."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.accounts import permissions as perms
from phoihop.audit.recorder import history_for
from phoihop.core.throttle import DOCUMENTS, throttled
from phoihop.documents import layout
from phoihop.organizations.models import Organization
from phoihop.programs.access import get_program_for_user, programs_visible_to
from phoihop.results import aggregation
from phoihop.reviews import access, outputs, report, services
from phoihop.reviews.forms import ContributionForm, NarrativeForm, ReviewForm
from phoihop.reviews.models import ReviewStatus, Section

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def review_list(request):
    reviews = access.reviews_visible_to(request.user).prefetch_related("items__program").select_related("organizer")
    may_prepare = bool(perms.org_ids_with(request.user, perms.MANAGE)) or perms.is_system_admin(request.user)
    return render(request, "reviews/list.html", {"reviews": reviews, "may_prepare": may_prepare})


@login_required
def review_create(request):
    organizers = Organization.objects.filter(pk__in=perms.org_ids_with(request.user, perms.MANAGE)).order_by("name")
    if perms.is_system_admin(request.user):
        organizers = Organization.objects.order_by("name")
    if not organizers.exists():
        raise PermissionDenied
    programs = programs_visible_to(request.user).order_by("-start")
    form = ReviewForm(request.POST or None, organizers=organizers, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.prepare_review(
                title=data["title"], kind=data["kind"], date=data["date"], organizer=data["organizer"], place=data["place"],
                contribution_deadline=data.get("contribution_deadline"), user=request.user,
                items=[services.ItemInput(p.code, s, e) for p, s, e in form.items()],
            )
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Đã tạo hội nghị; các bên có thể gửi ý kiến."))
            return redirect("reviews:contributions", pk=review.pk)
    return render(request, "reviews/create.html", {"form": form}, status=422 if form.errors else 200)


def _context(request, review, step):
    return {
        "review": review, "step": step,
        "may_manage": perms.can(request.user, perms.MANAGE, review.related_organization_ids()),
        "items": review.items.select_related("program"),
    }


@login_required
def contributions(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    mine = services.parties_of(review)
    if not perms.is_system_admin(request.user):
        mine = mine.filter(pk__in=perms.org_ids_with(request.user, perms.REPORT))
    form = ContributionForm(request.POST or None, organizations=mine)
    if request.method == "POST":
        if not mine.exists():
            raise PermissionDenied
        if form.is_valid():
            services.save_contribution(review, form.cleaned_data["organization"], form.cleaned_data["section"],
                                       form.cleaned_data["text"], request.user)
            messages.success(request, _("Đã gửi ý kiến."))
            return redirect("reviews:contributions", pk=review.pk)
    context = _context(request, review, "contributions")
    context.update({"status": services.contribution_status(review), "form": form, "may_contribute": mine.exists(),
                    "contributions": review.contributions.select_related("organization").order_by("section", "organization__name")})
    return render(request, "reviews/contributions.html", context, status=422 if form.errors else 200)


@login_required
def figures(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    items = list(review.items.select_related("program"))
    # Unapproved figures only through the leave the access check hands out (reviews.access.figures_for).
    may_draft = access.may_see_draft_figures(request.user, review)
    drafts = access.figures_for(request.user, review, asked=request.GET.get("nhap") == "1")
    draft = access.with_unapproved(drafts, review)
    blocks = []
    for item in items:
        rows = aggregation.results([item.program.code], item.period_start, item.period_end, include_unapproved=draft)
        totals = [r for r in rows if r.organization is None]
        chart = report._chart(totals, f"Kết quả so với chỉ tiêu — {item.program.phase_label}")
        blocks.append({
            "item": item, "totals": totals,
            "per_org": [r for r in rows if r.organization is not None and r.value is not None],
            "chart": base64.b64encode(chart.data).decode() if chart else None,
            "missing": len(aggregation.missing_reports(item.program, item.period_start, item.period_end)),
        })
    context = _context(request, review, "figures")
    context.update({"blocks": blocks, "draft": draft, "may_draft": may_draft})
    return render(request, "reviews/figures.html", context)


@login_required
def narratives(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    section = request.GET.get("phan", Section.SITUATION)
    if section not in Section.values:
        section = Section.SITUATION
    current = services.narrative(review, section)
    initial = {"text": current.text if current else services.compiled_text(review, section),
               "version": current.version if current else None}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        services.ensure_may_manage(request.user, review)
        if form.is_valid():
            from phoihop.documents.text import clean_text

            try:
                services.save_narrative(review, section, clean_text(form.cleaned_data["text"]), request.user,
                                        form.cleaned_data.get("version"))
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã lưu phần “%(s)s”.") % {"s": Section(section).label})
                return redirect(f"{request.path}?phan={section}")
    context = _context(request, review, "narratives")
    context.update({
        "form": form, "section": section, "sections": Section.choices,
        "sources": review.contributions.filter(section=section).select_related("organization").order_by("organization__name"),
        "history": history_for(current)[:20] if current else [],
    })
    return render(request, "reviews/narratives.html", context, status=422 if form.errors else 200)


@login_required
def preview(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    document = report.review_document(review, access.figures_for(request.user, review))
    context = _context(request, review, "preview")
    context.update({"document": document, "blocks": _html_blocks(document)})
    return render(request, "reviews/preview.html", context)


def _html_blocks(document):
    out = []
    for block in document.blocks:
        if isinstance(block, layout.Image):
            out.append({"type": "image", "src": base64.b64encode(block.data).decode(), "caption": block.caption})
        elif isinstance(block, layout.Table):
            from phoihop.core.formatting import number_vi

            rows = [[number_vi(c) if isinstance(c, (int, float)) or c.__class__.__name__ == "Decimal" else (c or "") for c in row] for row in block.rows]
            out.append({"type": "table", "headers": block.headers, "rows": rows, "numeric": block.numeric_columns or set()})
        elif isinstance(block, layout.Heading):
            out.append({"type": "heading", "text": block.text, "level": block.level})
        else:
            out.append({"type": "paragraph", "text": block.text, "gap": getattr(block, "gap", False),
                        "bold": getattr(block, "bold", False), "italic": getattr(block, "italic", False)})
    return out


@login_required
@throttled(DOCUMENTS)
def download(request, pk: int, ext: str):
    review = access.get_review_for_user(request.user, pk)
    if review.status == ReviewStatus.ISSUED and hasattr(review, "issued_report") and ext == "docx":
        data = review.issued_report.docx.read()
    else:
        data = outputs.review_docx(review, access.figures_for(request.user, review))
    return _file_response(request, data, ext, outputs.filename("bao-cao", f"{review.pk}-{review.date:%Y%m%d}", ext))


def _file_response(request, docx: bytes, ext: str, name: str):
    if ext not in ("docx", "pdf"):
        from django.http import Http404

        raise Http404
    if ext == "pdf":
        from phoihop.documents.pdf import PdfFailed, PdfUnavailable

        try:
            data = outputs.to_pdf(docx)
        except (PdfUnavailable, PdfFailed) as exc:
            messages.error(request, str(exc))
            return redirect(request.META.get("HTTP_REFERER") or "reviews:list")
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = HttpResponse(docx, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def change_status(request, pk: int):
    review = access.get_review_for_user(request.user, pk, perms.MANAGE)
    target = request.POST.get("status", "")
    try:
        if target == ReviewStatus.ISSUED and review.status == ReviewStatus.ISSUED:
            services.issue_report(review, outputs.review_docx(review))  # an earlier issue stopped half-way
        elif target == ReviewStatus.ISSUED:
            docx = outputs.review_docx(review)  # rendered before the transaction: it takes seconds
            with transaction.atomic():
                services.move(review, target, request.user)
                services.issue_report(review, docx)
        else:
            services.move(review, target, request.user)
        messages.success(request, _("Đã cập nhật trạng thái hội nghị."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reviews:preview", pk=review.pk)


@login_required
@throttled(DOCUMENTS)
def program_document(request, code: str, ext: str):
    program = get_program_for_user(request.user, code)
    return _file_response(request, outputs.program_docx(program), ext, outputs.filename("chuong-trinh", program.code, ext))
