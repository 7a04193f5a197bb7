"""iCalendar (RFC 5545) feeds built from the upcoming focus: anniversaries and deadlines as
all-day entries, events at their time. Calendar clients subscribe with a feed token, `?feed=` (accounts.FeedToken)."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from django.utils import timezone

from phoihop.almanac import focus, lunar

PRODID = "-//Phoi Hop//Lich phoi hop//VI"
TIMED_EVENT_LENGTH = dt.timedelta(hours=2)
ALL_DAY_KINDS = {focus.ANNIVERSARY, focus.DEADLINE, focus.ACTIVITY}
# RFC 5545 § 3.3.11: TEXT holds no control character but the tab (a line break is written "\n"
# by icalendar). NUL, bells, escapes, DEL and the C1 block are dropped; CR and CR LF become LF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT = 2000  # characters of a summary, place or description: a calendar entry, not a document


def clean_text(value: str, limit: int = MAX_TEXT) -> icalendar.vText:
    """Text as a calendar client may read it: control characters dropped, lines as LF, at most
    `limit` characters; icalendar escapes backslash, comma, semicolon and line breaks and folds
    long lines at 75 octets."""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return icalendar.vText(text)


def feed_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Three months back and a year ahead, inside the calendar's range."""
    today = today or timezone.localdate()
    start = max(today - dt.timedelta(days=90), lunar.MIN_DATE)
    end = min(today + dt.timedelta(days=400), lunar.MAX_DATE)
    return start, end


def _uid(item: focus.FocusItem) -> str:
    if item.kind == focus.EVENT and "event" in item.data:
        return f"event-{item.data['event'].pk}@phoihop"
    if item.kind == focus.ANNIVERSARY and "anniversary" in item.data:
        anniversary = item.data["anniversary"]
        return f"anniversary-{anniversary.commemoration.code}-{anniversary.date.isoformat()}@phoihop"
    import hashlib

    digest = hashlib.sha1(f"{item.kind}|{item.date}|{item.title}".encode()).hexdigest()[:16]
    return f"{item.kind}-{digest}@phoihop"


def build_calendar(name: str, result: focus.Focus, base_url: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property has no known type: without vText icalendar would write it unescaped.
    cal.add("x-wr-calname", clean_text(name, 255))
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    now = timezone.now()
    for item in result.items:
        if item.date is None or item.kind in {focus.THEME, focus.RESOLUTION}:
            continue
        entry = icalendar.Event()
        entry.add("uid", _uid(item))
        entry.add("dtstamp", now)
        entry.add("summary", clean_text(item.title))
        if item.kind == focus.EVENT and "event" in item.data:
            event = item.data["event"]
            starts = event.starts_at.astimezone(dt.UTC)
            entry.add("dtstart", starts)
            entry.add("dtend", starts + TIMED_EVENT_LENGTH)
            if event.place:
                entry.add("location", clean_text(event.place))
        else:
            entry.add("dtstart", item.date)
            entry.add("dtend", item.date + dt.timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        if item.detail:
            entry.add("description", clean_text(item.detail))
        if item.url and base_url:
            entry.add("url", base_url.rstrip("/") + item.url)
        entry.add("categories", [item.kind])
        cal.add_component(entry)
    return cal.to_ical()
