from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from phoihop.programs.access import events_visible_to, programs_visible_to


@login_required
def home(request):
    programs = programs_visible_to(request.user).order_by("-start")[:10]
    events = events_visible_to(request.user).order_by("-starts_at")[:5]
    return render(request, "core/home.html", {"programs": programs, "events": events})
