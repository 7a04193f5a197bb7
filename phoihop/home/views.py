"""The home page: what Phối Hợp is, and for everyone (visitors included) the latest public news,
the next commemorations (solar and lunar dates) and the programs in force with their parties;
logged-in users also get quick links (the demo's program and review, their dashboard) and the
upcoming focus."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from phoihop.almanac import lunar
from phoihop.almanac.access import next_anniversaries
from phoihop.almanac.focus import FocusScope, upcoming_focus
from phoihop.news.access import public_articles
from phoihop.programs.access import events_visible_to, programs_in_force, programs_visible_to
from phoihop.reviews.access import reviews_visible_to

DEMO_PROGRAM = "bn-phoihop-2019-2023"
NEWS_PATH = "/tin-tuc/"  # the public bulletin (phoihop.news), linked by path
FOCUS_DAYS = 60
LATEST = 5  # news articles and commemorations listed


def public_context(user, today: dt.date) -> dict:
    """What the home page shows to anyone: public articles, the next anniversaries in the user's
    calendar (the national days for a visitor), the programs in force today and their parties."""
    anniversaries = [
        {"anniversary": a, "lunar": lunar.to_lunar(a.date)} for a in next_anniversaries(user, today, LATEST)
    ]
    return {
        "news_url": NEWS_PATH,
        "latest_news": list(public_articles()[:LATEST]),
        "next_anniversaries": anniversaries,
        "programs_in_force": list(programs_in_force(today)),
    }


def home(request):
    today = timezone.localdate()
    if not request.user.is_authenticated:
        return render(request, "core/home.html", public_context(request.user, today))
    user = request.user
    programs = programs_visible_to(user)
    return render(request, "core/home.html", {
        **public_context(user, today),
        "demo_program": programs.filter(code=DEMO_PROGRAM).first(),
        "demo_review": reviews_visible_to(user).order_by("date", "id").first(),
        "programs": programs.order_by("-start")[:10],
        "events": events_visible_to(user).order_by("-starts_at")[:5],
        "focus": upcoming_focus(FocusScope(today, today + dt.timedelta(days=FOCUS_DAYS), user=user)),
        "focus_days": FOCUS_DAYS,
    })
