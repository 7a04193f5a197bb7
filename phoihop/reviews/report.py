"""Builds the review report and the program document as `phoihop.documents.layout.Document`.

Every figure comes from `phoihop.results.aggregation` (the same rows as `phoihop results`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from phoihop.core.formatting import doc_date, number_vi
from phoihop.core.vietnamese import lower_first
from phoihop.documents.layout import Document, Heading, Image, Issuer, Paragraph, Table
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.results import aggregation
from phoihop.reviews import services
from phoihop.reviews.access import DraftScope, with_unapproved
from phoihop.reviews.models import Review, ReviewStatus, Section

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def issuer_for(organization: Organization, *, number=None, kind_abbr="BC", signer_authority="", signer_title="", signer_name="") -> Issuer:
    return Issuer(
        name=organization.document_header_name,
        parent_name=organization.header_parent_name,
        is_party=organization.is_party_body,
        number=number,
        kind_abbr=kind_abbr,
        issuer_abbr=organization.document_abbreviation or "",
        signer_authority=signer_authority,
        signer_title=signer_title,
        signer_name=signer_name,
    )


def _fmt(value) -> str:
    return "" if value is None else number_vi(value)


def _pct(value) -> str:
    return "" if value is None else f"{number_vi(value)}%"


def _gap(what: str) -> Paragraph:
    return Paragraph(f"[Chưa có nội dung: {what}]", gap=True)


def _narrative_blocks(text: str, what: str) -> list:
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        paragraphs = [p.strip() for p in (text or "").split("\n") if p.strip()]
    return [Paragraph(p) for p in paragraphs] or [_gap(what)]


def _highlights(rows: list[aggregation.ResultRow]) -> list[str]:
    """“Nổi bật”: the best achievements against targets and the biggest rises on the last phase."""
    totals = [r for r in rows if r.organization is None and r.value is not None]
    lines = []
    achieved = sorted((r for r in totals if r.achieved_pct is not None), key=lambda r: r.achieved_pct, reverse=True)
    for r in achieved[:3]:
        lines.append(f"{r.indicator_name}: {_fmt(r.value)} {r.unit}, đạt {_pct(r.achieved_pct)} chỉ tiêu.")
    rises = []
    for r in totals:
        if r.previous_value and r.value is not None and r.previous_value > 0:
            rises.append(((Decimal(r.value) - r.previous_value) / r.previous_value * 100, r))
    for change, r in sorted(rises, key=lambda x: x[0], reverse=True)[:2]:
        if change > 0:
            lines.append(f"{r.indicator_name}: {_fmt(r.value)} {r.unit}, tăng {number_vi(change.quantize(Decimal('0.1')))}% so với giai đoạn trước.")
    return lines


def _results_table(rows: list[aggregation.ResultRow]) -> Table:
    body = [[r.indicator_name, r.unit, r.value, r.target, r.achieved_pct, r.previous_value] for r in rows]
    return Table(
        headers=["Chỉ số", "Đơn vị tính", "Kết quả", "Chỉ tiêu", "Đạt (%)", "Kỳ trước"],
        rows=body, numeric_columns={2, 3, 4, 5}, widths_cm=[6.5, 2.2, 2.3, 2.3, 1.6, 2.3],
    )


def _chart(rows: list[aggregation.ResultRow], title: str) -> Image | None:
    from phoihop.documents import charts

    with_target = [r for r in rows if r.target and r.value is not None][:8]
    if not with_target:
        return None
    png = charts.achievement_chart(
        [r.indicator_name for r in with_target], [float(r.value) for r in with_target],
        [float(r.target) for r in with_target], title=title, unit="",
    )
    return Image(png, width_cm=15, caption=title)


def review_document(review: Review, drafts: DraftScope | None = None) -> Document:
    """The report with approved figures only, unless `drafts` (from `reviews.access.figures_for`,
    after the permission check) covers every reviewed program: then with unapproved figures too,
    marked as such. The review's own `include_unapproved` flag alone never adds them."""
    items = list(review.items.select_related("program"))
    draft = with_unapproved(drafts, review)
    blocks: list = []
    blocks.append(Heading(f"{ROMAN[0]}. ĐẶC ĐIỂM, TÌNH HÌNH"))
    blocks += _narrative_blocks(services.section_text(review, Section.SITUATION), "đặc điểm, tình hình")
    blocks.append(Heading(f"{ROMAN[1]}. KẾT QUẢ THỰC HIỆN"))
    general = services.section_text(review, Section.RESULTS)
    if general.strip():
        blocks += _narrative_blocks(general, "")
    all_rows: list[aggregation.ResultRow] = []
    for n, item in enumerate(items, start=1):
        program = item.program
        rows = aggregation.results([program.code], item.period_start, item.period_end, include_unapproved=draft)
        all_rows += rows
        blocks.append(Heading(f"{n}. {program.title} (từ {doc_date(item.period_start)} đến {doc_date(item.period_end)})", level=2))
        totals = [r for r in rows if r.organization is None]
        if not any(r.value is not None for r in totals):
            blocks.append(_gap(f"chưa có số liệu đã duyệt của chương trình trong kỳ {doc_date(item.period_start)} – {doc_date(item.period_end)}"))
        by_area: dict[str, list] = {}
        for r in totals:
            by_area.setdefault(r.content_area, []).append(r)
        names = {a.code: a.name for a in program.content_areas.all()}
        for m, (area, area_rows) in enumerate(by_area.items(), start=1):
            if not any(r.value is not None for r in area_rows):
                continue
            blocks.append(Heading(f"{n}.{m}. {names.get(area, area)}", level=3))
            blocks.append(_results_table(area_rows))
        chart = _chart(totals, f"Kết quả so với chỉ tiêu — {program.phase_label}")
        if chart:
            blocks.append(chart)
        missing = aggregation.missing_reports(program, item.period_start, item.period_end)
        if missing:
            orgs = dict(Organization.objects.filter(pk__in={o for o, _c in missing}).values_list("pk", "name"))
            counts: dict[int, int] = {}
            for org_id, _code in missing:
                counts[org_id] = counts.get(org_id, 0) + 1
            text = "; ".join(f"{orgs[o]} ({c} kỳ)" for o, c in sorted(counts.items(), key=lambda x: orgs[x[0]]))
            blocks.append(Paragraph(f"Đơn vị chưa có báo cáo tháng được duyệt: {text}.", italic=True))
    highlights = _highlights(all_rows)
    if highlights:
        blocks.append(Paragraph("Nổi bật:", bold=True))
        blocks += [Paragraph(f"- {line}") for line in highlights]
    blocks.append(Heading(f"{ROMAN[2]}. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN"))
    blocks += _narrative_blocks(services.section_text(review, Section.SHORTCOMINGS), "hạn chế, khuyết điểm và nguyên nhân")
    blocks.append(Heading(f"{ROMAN[3]}. BÀI HỌC KINH NGHIỆM"))
    blocks += _narrative_blocks(services.section_text(review, Section.LESSONS), "bài học kinh nghiệm")
    blocks.append(Heading(f"{ROMAN[4]}. PHƯƠNG HƯỚNG, NHIỆM VỤ"))
    directions = services.section_text(review, Section.DIRECTIONS)
    focus_lines = upcoming_focus_lines(review)
    if directions.strip() or not focus_lines:
        blocks += _narrative_blocks(directions, "phương hướng, nhiệm vụ")
    if focus_lines:
        blocks.append(Paragraph("Trọng tâm thời gian tới:", bold=True))
        blocks += [Paragraph(f"- {line}") for line in focus_lines]
    blocks.append(Heading(f"{ROMAN[5]}. ĐỀ XUẤT, KIẾN NGHỊ"))
    blocks += _narrative_blocks(services.section_text(review, Section.PROPOSALS), "đề xuất, kiến nghị")

    issuers = []
    for issuer in review.issuers.select_related("organization", "signer"):
        issuers.append(issuer_for(
            issuer.organization, number=issuer.number, kind_abbr="BC",
            signer_authority=issuer.signer_authority, signer_title=issuer.signer_title,
            signer_name=issuer.signer.full_name if issuer.signer else "",
        ))
    if not issuers:
        issuers = [issuer_for(review.organizer)]
    watermark = ""
    if draft:
        watermark = "DỰ THẢO — CÓ SỐ LIỆU CHƯA DUYỆT"
    elif review.status != ReviewStatus.ISSUED:
        watermark = "DỰ THẢO"
    if review.is_demo:
        watermark = (watermark + " · " if watermark else "") + "DỮ LIỆU MINH HỌA"
    return Document(
        issuers=issuers, kind="BÁO CÁO", title=review.title, place=review.place, date=review.date,
        blocks=blocks, recipients=_recipients(review), archive="VT", draft_watermark=watermark,
    )


def upcoming_focus_lines(review: Review) -> list[str]:
    from phoihop.almanac.access import owner_organization_ids
    from phoihop.almanac.focus import (
        ANNIVERSARY,
        EVENT,
        RESOLUTION,
        THEME,
        FocusScope,
        upcoming_focus,
    )

    # A year theme and its resolutions are private to their owner (almanac/access.py): the report
    # lists those of its issuing bodies only, never another party's.
    issuers = {review.organizer_id} | set(review.issuers.values_list("organization_id", flat=True))

    def allowed(focus_item) -> bool:
        theme = focus_item.data.get("theme") or getattr(focus_item.data.get("resolution"), "theme", None)
        return theme is None or bool(owner_organization_ids(theme) & issuers)

    lines = []
    for item in review.items.select_related("program"):
        scope = FocusScope(review.date, review.date + dt.timedelta(days=60), program=item.program)
        focus = upcoming_focus(scope)
        for focus_item in focus.items:
            later_event = focus_item.kind == EVENT and focus_item.date and focus_item.date > review.date
            if ((focus_item.kind in (ANNIVERSARY, THEME, RESOLUTION) or later_event) and focus_item.title not in lines
                    and allowed(focus_item)):
                lines.append(focus_item.title)
    successors = Program.objects.filter(predecessors__review_items__review=review).distinct()
    for program in successors:
        focus = upcoming_focus(FocusScope(review.date, review.date + dt.timedelta(days=60), program=program))
        for focus_item in focus.items:
            if focus_item.kind in (ANNIVERSARY, THEME, RESOLUTION) and focus_item.title not in lines and allowed(focus_item):
                lines.append(focus_item.title)
    return lines


def _recipients(review: Review) -> list[str]:
    lines = []
    parents = {i.organization.parent_on(review.date) for i in review.issuers.select_related("organization")}
    lines += [f"{p.name} (để báo cáo)" for p in sorted((p for p in parents if p), key=lambda o: o.name)]
    if review.committee_id:
        lines.append("Các thành viên Ban chỉ đạo")
    lines += [org.name for org in services.parties_of(review)]
    return lines


def program_document(program: Program) -> Document:
    blocks: list = [Heading("I. MỤC ĐÍCH, YÊU CẦU")]
    blocks += _narrative_blocks(program.purpose, "mục đích, yêu cầu")
    blocks.append(Heading("II. NỘI DUNG PHỐI HỢP"))
    areas = list(program.content_areas.all())
    if not areas:
        blocks.append(_gap("nội dung phối hợp"))
    for n, area in enumerate(areas, start=1):
        blocks.append(Paragraph(f"{n}. {area.name}."))
    blocks.append(Heading("III. TRÁCH NHIỆM CỦA CÁC BÊN"))
    parties = list(program.parties.select_related("organization", "signatory"))
    if not parties:
        blocks.append(_gap("các bên tham gia chương trình"))
    for n, party in enumerate(parties, start=1):
        blocks.append(Heading(f"{n}. {party.organization.name}", level=2))
        leads = [r for r in party.responsibilities.select_related("content_area") if r.level == "lead"]
        supports = [r for r in party.responsibilities.select_related("content_area") if r.level == "support"]
        if leads:
            blocks.append(Paragraph("Chủ trì: " + "; ".join(lower_first(r.content_area.name) + (f" ({r.text})" if r.text else "") for r in leads) + "."))
        if supports:
            blocks.append(Paragraph("Phối hợp: " + "; ".join(lower_first(r.content_area.name) for r in supports) + "."))
        if not leads and not supports:
            blocks.append(_gap("trách nhiệm của " + party.organization.name))
    blocks.append(Heading("IV. TỔ CHỨC THỰC HIỆN"))
    if program.meeting_cadence:
        blocks.append(Paragraph(f"Chế độ giao ban: {program.meeting_cadence}."))
    if program.review_schedule:
        blocks.append(Paragraph(f"Sơ kết, tổng kết: {program.review_schedule}."))
    phase = f"giai đoạn {program.phase_label}"
    blocks.append(Paragraph(f"Chương trình có hiệu lực từ ngày {doc_date(program.start)}"
                            + (f" đến ngày {doc_date(program.end)}" if program.end else "")
                            + f" ({phase}). Quá trình thực hiện, nếu có vấn đề phát sinh, các bên trao đổi, thống nhất điều chỉnh cho phù hợp."))
    issuers = [issuer_for(p.organization, number=int(p.document_number) if p.document_number.isdecimal() else None, kind_abbr="CTr",
                          signer_authority=p.signing_prefix, signer_title=p.signatory_title.upper(),
                          signer_name=p.signatory.full_name if p.signatory else "") for p in parties]
    if not issuers:  # a visible gap rather than a crash: the program has no party yet
        issuers = [Issuer(name="[CHƯA CÓ BÊN THAM GIA]")]
    day = program.signing_date or program.start
    recipients = sorted({parent.name + " (để báo cáo)" for p in parties if (parent := p.organization.parent_on(day))})
    recipients += [p.organization.name for p in parties]
    return Document(
        issuers=issuers, kind="CHƯƠNG TRÌNH PHỐI HỢP", title=program.title, place=_place(program),
        date=program.signing_date or program.start, blocks=blocks, recipients=recipients, archive="VT",
        draft_watermark=("DỰ THẢO" if program.status == "draft" else "") + (" · DỮ LIỆU MINH HỌA" if program.is_demo else ""),
    )


def _place(program: Program) -> str:
    party = program.parties.select_related("organization__administrative_unit").first()
    unit = party.organization.administrative_unit if party else None
    if unit is None:
        return "Bắc Ninh"
    for prefix in ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Phường ", "Xã "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name
