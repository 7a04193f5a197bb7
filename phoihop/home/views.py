"""The home page: what Phối Hợp is, for visitors (public) and for logged-in users (quick links
to the demo's program, review and the bulletin, their dashboard, the upcoming focus)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from phoihop.almanac.focus import FocusScope, upcoming_focus
from phoihop.programs.access import events_visible_to, programs_visible_to
from phoihop.reviews.access import reviews_visible_to

DEMO_PROGRAM = "bn-phoihop-2019-2023"
NEWS_PATH = "/tin-tuc/"  # the public bulletin (phoihop.news), linked by path
FOCUS_DAYS = 60


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/home.html", {"news_url": NEWS_PATH})
    user = request.user
    today = timezone.localdate()
    programs = programs_visible_to(user)
    return render(request, "core/home.html", {
        "news_url": NEWS_PATH,
        "demo_program": programs.filter(code=DEMO_PROGRAM).first(),
        "demo_review": reviews_visible_to(user).order_by("date", "id").first(),
        "programs": programs.order_by("-start")[:10],
        "events": events_visible_to(user).order_by("-starts_at")[:5],
        "focus": upcoming_focus(FocusScope(today, today + dt.timedelta(days=FOCUS_DAYS), user=user)),
        "focus_days": FOCUS_DAYS,
    })
