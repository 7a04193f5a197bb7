"""A bulletin draft written by the system from an event's facts.

Nothing is copied from a free-text field (outcome, witnesses): the sentences are composed here
from structured data — when (part of the day and date), who organised and chaired, which
programs were reviewed (with the periods reviewed) and which were signed (parties, documents,
signatories, content areas), and the upcoming focus of the signed program (anniversaries with
their "Kỷ niệm N năm …" texts, the year's theme). Facts the editor may not see are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from django.utils import timezone

from phoihop.core.formatting import doc_date
from phoihop.core.vietnamese import lower_first, sort_key, upper_first
from phoihop.programs.models import Event, Program

REVIEW_KINDS = (Event.Kind.INTERIM_REVIEW, Event.Kind.FINAL_REVIEW)
FOCUS_DAYS = 60
NUMBER_WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
COMMON_PLACE_WORDS = ("Thành phố", "Tỉnh", "Huyện", "Thị xã", "Xã", "Phường", "Hội trường", "Trụ sở", "Nhà văn hóa")


@dataclass
class Draft:
    title: str
    lead: str
    body: str
    event: Event
    program: Program | None
    is_demo: bool
    focus_lines: list[str] = field(default_factory=list)


def part_of_day(moment: dt.datetime) -> str:
    """Sáng (before 11:00), Trưa (11–13), Chiều (13–18), Tối (from 18:00)."""
    hour = timezone.localtime(moment).hour
    if hour < 11:
        return "Sáng"
    if hour < 13:
        return "Trưa"
    if hour < 18:
        return "Chiều"
    return "Tối"


def when_phrase(moment: dt.datetime) -> str:
    """'Chiều 09/7/2019'."""
    return f"{part_of_day(moment)} {doc_date(timezone.localtime(moment).date())}"


def clock(moment: dt.datetime) -> str:
    """'16 giờ', '14 giờ 30'."""
    local = timezone.localtime(moment)
    return f"{local.hour} giờ" + (f" {local.minute:02d}" if local.minute else "")


def count_words(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def place_phrase(place: str) -> str:
    place = place.strip()
    if not place:
        return ""
    for word in COMMON_PLACE_WORDS:
        if place.startswith(word):
            return f" tại {lower_first(place)}"
    return f" tại {place}"


def phase(start: dt.date, end: dt.date | None) -> str:
    return f"{start.year} - {end.year}" if end else f"từ năm {start.year}"


def _same_day_events(event: Event, user) -> list[Event]:
    from phoihop.programs.access import events_visible_to

    day = timezone.localtime(event.starts_at).date()
    if event.kind not in (*REVIEW_KINDS, Event.Kind.SIGNING):
        return [event]
    qs = Event.objects.filter(starts_at__date=day, kind__in=[*REVIEW_KINDS, Event.Kind.SIGNING])
    qs = qs.filter(committee_id=event.committee_id) if event.committee_id else qs.filter(pk=event.pk)
    if user is not None:
        qs = qs.filter(pk__in=events_visible_to(user).values("pk"))
    events = {e.pk: e for e in qs.select_related("committee", "chair").prefetch_related("programs", "organizations")}
    events.setdefault(event.pk, event)
    return sorted(events.values(), key=lambda e: e.starts_at)


def _visible_programs(user):
    from phoihop.programs.access import programs_visible_to

    return Program.objects.all() if user is None else programs_visible_to(user)


def _review_periods(review_events: list[Event], day: dt.date, committee_id) -> dict[int, tuple[dt.date, dt.date]]:
    from django.db.models import Q

    from phoihop.reviews.models import ReviewItem

    condition = Q(review__event__in=review_events)
    if committee_id:
        condition |= Q(review__date=day, review__committee_id=committee_id)
    return {item.program_id: (item.period_start, item.period_end) for item in ReviewItem.objects.filter(condition)}


def _focus(program: Program | None, day: dt.date) -> tuple[list[str], str]:
    """Anniversary lines in the next 60 days, and a sentence on the year's theme."""
    from phoihop.almanac.focus import ANNIVERSARY, RESOLUTION, THEME, FocusScope, upcoming_focus
    from phoihop.almanac.services import WindowError

    if program is None:
        return [], ""
    try:
        focus = upcoming_focus(FocusScope(day, day + dt.timedelta(days=FOCUS_DAYS), program=program))
    except WindowError:
        return [], ""
    lines: list[str] = []
    for item in sorted(focus.of_kind(ANNIVERSARY), key=lambda i: (i.date or day, i.rank, i.title)):
        if item.title not in lines:
            lines.append(item.title)
    theme_sentence = ""
    themes = [i for i in focus.of_kind(THEME) if i.date and i.date.year == day.year]
    if themes:
        theme = themes[0].data.get("theme")
        owner = str(theme.owner) if theme is not None else ""
        resolutions = [i for i in focus.of_kind(RESOLUTION) if i.data.get("resolution") and
                       i.data["resolution"].theme_id == getattr(theme, "pk", None)]
        theme_sentence = f"Cùng với đó là thực hiện chủ đề công tác năm {day.year}"
        theme_sentence += f" của {owner}" if owner else ""
        theme_sentence += f": “{themes[0].title}”"
        if resolutions:
            theme_sentence += f" và {len(resolutions):02d} quyết tâm chính trị"
        theme_sentence += "."
    return lines, theme_sentence


def _li(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def compose_from_event(event: Event, user=None) -> Draft:
    """Compose title, lead and body (HTML) for a bulletin article about `event`."""
    local = timezone.localtime(event.starts_at)
    day = local.date()
    day_events = _same_day_events(event, user)
    reviews = [e for e in day_events if e.kind in REVIEW_KINDS]
    signings = [e for e in day_events if e.kind == Event.Kind.SIGNING]
    visible = _visible_programs(user)
    visible_ids = set(visible.values_list("pk", flat=True))

    reviewed: list[Program] = []
    for e in reviews:
        for p in sorted(e.programs.all(), key=lambda p: (p.start, p.code)):
            if p.pk in visible_ids and p not in reviewed:
                reviewed.append(p)
    signed: list[Program] = []
    for e in signings:
        for p in sorted(e.programs.all(), key=lambda p: (p.start, p.code)):
            if p.pk in visible_ids and p not in signed:
                signed.append(p)
    if signings and event.committee_id:
        for p in visible.filter(steering_committees=event.committee_id, signing_date=day).order_by("start", "code"):
            if p not in signed:
                signed.append(p)
    signed = [p for p in signed if p not in reviewed]
    periods = _review_periods(reviews, day, event.committee_id)

    first = day_events[0] if day_events else event
    when = when_phrase(first.starts_at)
    committee = event.committee
    organiser = committee.name if committee else "Các cơ quan, tổ chức"
    participants = {o.pk: o for e in day_events for o in e.organizations.all()}
    kinds = {e.kind for e in reviews}
    verb = "sơ kết, tổng kết" if len(kinds) > 1 else ("tổng kết" if Event.Kind.FINAL_REVIEW in kinds else "sơ kết")

    def period_of(p: Program) -> str:
        start, end = periods.get(p.pk, (p.start, p.end))
        return phase(start, end)

    actions: list[str] = []
    if reviewed:
        what = (f"{count_words(len(reviewed))} chương trình phối hợp" if len(reviewed) > 1
                else f"chương trình phối hợp giai đoạn {period_of(reviewed[0])}")
        actions.append(f"{verb} {what}")
    if signed:
        actions.append(f"ký kết {count_words(len(signed))} chương trình phối hợp" if len(signed) > 1
                       else f"ký kết chương trình phối hợp giai đoạn {phase(signed[0].start, signed[0].end)}")
    if actions:
        activity = " và ".join(actions)
        title = upper_first(activity)
        if not reviewed and len(signed) == 1:
            title = f"Ký kết {signed[0].title}"
        elif not signed and len(reviewed) == 1:
            title = f"{upper_first(verb)} {reviewed[0].title}"
    else:
        activity = lower_first(event.get_kind_display()) + f" “{event.title}”"
        title = event.title
    title = title[:300]

    place = place_phrase(event.place)
    lead = f"{when}, {organiser} tổ chức hội nghị {activity}{place}."
    if participants:
        lead += f" Hội nghị có sự tham gia của {len(participants)} cơ quan, tổ chức."

    demo = event.is_demo or any(p.is_demo for p in reviewed + signed)
    parts: list[str] = []
    chair = first.chair or event.chair
    chair_title = first.chair_title or event.chair_title
    opening = ""
    if chair is not None:
        opening = f"Hội nghị do {chair.full_name}"
        opening += f", {chair_title}," if chair_title else ""
        opening += " chủ trì" + (" (tên minh họa)" if chair.is_demo else "")
    names = sorted((o.short_name or o.name for o in participants.values()), key=sort_key)
    if names:
        opening += (", với sự tham gia của" if opening else "Tham dự hội nghị có") + f" đại diện {len(names)} cơ quan, tổ chức: "
        opening += ", ".join(names)
    if opening:
        parts.append(f"<p>{escape(opening)}.</p>")

    if reviewed:
        parts.append(f"<h2>Các chương trình được {verb}</h2>")
        items = []
        for p in reviewed:
            n_parties = p.parties.count()
            line = p.title if f"giai đoạn {period_of(p)}" in p.title else f"{p.title} ({verb} giai đoạn {period_of(p)})"
            items.append(line + (f" — {n_parties} bên tham gia" if n_parties else ""))
        parts.append(_li(items))

    for p in signed:
        parts.append(f"<h2>Ký kết chương trình giai đoạn {escape(phase(p.start, p.end))}</h2>")
        signing = next((e for e in signings if p in e.programs.all()), signings[0] if signings else None)
        at = f"Lúc {clock(signing.starts_at)}, " if signing is not None and signing.pk != first.pk else ""
        sentence = f"{at}các bên ký kết {p.title}" if at else f"Các bên ký kết {p.title}"
        sentence += f". Chương trình thực hiện từ ngày {doc_date(p.start)}"
        sentence += f" đến ngày {doc_date(p.end)}" if p.end else ""
        continued = [q for q in p.predecessors.all() if q in reviewed]
        if continued:
            sentence += f", kế tiếp {count_words(len(continued))} chương trình vừa được {verb}" if len(continued) > 1 \
                else ", kế tiếp chương trình vừa được " + verb
        parts.append(f"<p>{escape(sentence)}.</p>")
        areas = [a.name for a in p.content_areas.all()]
        if areas:
            parts.append(f"<p>Chương trình gồm {len(areas)} nội dung phối hợp:</p>")
            parts.append(_li(areas))
        party_lines = []
        for party in p.parties.select_related("organization", "signatory"):
            line = f"{party.organization.name} ({lower_first(party.get_role_display())})"
            if party.document_reference:
                line += f", văn bản số {party.document_reference}"
            if party.signatory is not None:
                line += f"; người ký: {party.signatory.full_name}"
                line += f", {party.signatory_title}" if party.signatory_title else ""
                line += " (tên minh họa)" if party.signatory.is_demo else ""
            party_lines.append(line)
        if party_lines:
            parts.append(f"<p>Các bên ký kết ({len(party_lines)}):</p>")
            parts.append(_li(party_lines))

    focus_program = signed[0] if signed else (reviewed[-1] if reviewed else None)
    focus_lines, theme_sentence = _focus(focus_program, day)
    if focus_lines or theme_sentence:
        end = day + dt.timedelta(days=FOCUS_DAYS)
        parts.append("<h2>Trọng tâm thời gian tới</h2>")
        if focus_lines:
            parts.append(f"<p>Theo lịch của chương trình, từ nay đến ngày {doc_date(end)} có các dịp kỷ niệm "
                         "để các bên tập trung phối hợp tuyên truyền, tổ chức hoạt động:</p>")
            parts.append(_li(focus_lines))
        if theme_sentence:
            parts.append(f"<p>{escape(theme_sentence)}</p>")
    if demo:
        parts.append("<p><em>Bài do hệ thống Phối Hợp soạn tự động từ dữ liệu của sự kiện; dữ liệu có chi tiết "
                     "minh họa (tên người, giờ họp, số văn bản).</em></p>")
    return Draft(title=title, lead=lead, body="".join(parts), event=event, program=(signed or reviewed or [None])[0],
                 is_demo=demo, focus_lines=focus_lines)
