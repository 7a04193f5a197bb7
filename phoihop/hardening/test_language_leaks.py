"""Vietnamese everywhere, English everywhere else (issue 14, point 6).

On the demo, each demo role opens the main pages in Vietnamese and in English. In Vietnamese no
visible text holds a field's code name, a stored enum value or an English word of the kept list;
in English no Vietnamese period or calendar label is left. Visible text: the page without its
tags, attribute values, <script>, <style> and <code> (a command line quoted on a page is not a
field's name).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

# The ones found here (issue 14): code names of fields and stored enum values that pages showed
# in the change history, the review page and status lists, and English words left in Vietnamese
# pages. Matched as whole words, case-sensitive.
VIETNAMESE_MODE_FORBIDDEN = (
    # field code names
    "is_public", "is_draft", "two_level_approval", "held_on", "starts_at", "ends_at", "signed_on",
    "organization", "program", "status", "role", "demo_figures",
    "valid_from", "valid_to", "short_name", "return_reason", "submitted_at", "approved_at",
    # stored enum values
    "draft", "submitted", "confirmed", "returned", "approved", "reopened", "member", "in_force",
    "signed", "ended", "planned", "held", "cancelled", "reporter", "approver", "committee_admin",
    "viewer", "preparing", "issued", "directions", "results", "situation", "shortcomings",
    "lessons", "proposals", "round", "half_round",
    # English words and Python values
    "None", "True", "False", "Please correct", "Choose all", "Month", "Quarter", "Year", "Review",
    "Program", "Status",
)
# Vietnamese period and calendar labels that English mode must translate (whole words or forms).
ENGLISH_MODE_FORBIDDEN = (
    r"Tháng \d{1,2}/\d{4}", r"Tháng \d{1,2} năm \d{4}", r"Quý [IV]+/\d{4}", r"6 tháng đầu năm \d{4}",
    r"9 tháng năm \d{4}", r"Lịch tháng", r"Thứ Hai", r"Chủ nhật", r"năm khác", r"năm tròn", r"năm lẻ 5",
    r"\bT[2-7]\b", r"\bCN\b",
)
_VI_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in VIETNAMESE_MODE_FORBIDDEN) + r")(?![\w-])")
_EN_PATTERN = re.compile("|".join(ENGLISH_MODE_FORBIDDEN))

DEMO_USERS = ("admin", "thuongtruc", "pheduyet", "phunu", "lanhdao")


_HIDDEN = ("script", "style", "template", "code")


class _Text(HTMLParser):
    """The visible text of a page: data outside <script>, <style> and <code>, no attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _context(match: re.Match, text: str) -> str:
    return text[max(0, match.start() - 60): match.end() + 60]


def _main_pages() -> list[str]:
    """The main pages of the demo: lists, and the detail of the first object of each kind."""
    from phoihop.news.models import Article
    from phoihop.organizations.models import Organization
    from phoihop.programs.models import Event, Program, SteeringCommittee
    from phoihop.reporting.models import Activity, Submission
    from phoihop.reviews.models import Review

    pages = [
        reverse("home"), reverse("dashboards:reporter"), reverse("dashboards:office"), reverse("dashboards:leader"),
        reverse("programs:list"), reverse("programs:events"), reverse("programs:committees"),
        reverse("reporting:my_periods"), reverse("reporting:queue"), reverse("reporting:activities"),
        reverse("reviews:list"), reverse("news:list"), reverse("news:manage"), reverse("almanac:month_current"),
        reverse("almanac:commemorations"), reverse("almanac:focus"), reverse("organizations:list"),
    ]
    for program in Program.objects.order_by("start")[:3]:
        pages.append(reverse("programs:detail", args=[program.code]))
    for event in Event.objects.order_by("-starts_at")[:2]:
        pages.append(reverse("programs:event", args=[event.pk]))
    for committee in SteeringCommittee.objects.all()[:1]:
        pages.append(reverse("programs:committee", args=[committee.pk]))
    submissions = Submission.objects.select_related("period").order_by("-period__start")
    for submission in [*submissions.exclude(status="draft")[:2], *submissions.filter(status="draft")[:1]]:
        pages.append(reverse("reporting:grid", args=[submission.organization_id, submission.period.code]))
    for activity in Activity.objects.order_by("-pk")[:1]:
        pages.append(reverse("reporting:activity", args=[activity.pk]))
    for review in Review.objects.order_by("pk")[:1]:
        pages += [reverse(name, args=[review.pk]) for name in ("reviews:contributions", "reviews:narratives", "reviews:figures")]
    for article in Article.objects.order_by("-pk")[:1]:
        pages.append(reverse("news:edit", args=[article.pk]))
    for organization in Organization.objects.filter(program_parties__role="lead").distinct()[:1]:
        pages.append(reverse("organizations:detail", args=[organization.pk]))
    return pages


@pytest.fixture
def demo(db):
    call_command("loaddemo", verbosity=0)


def _leaks(client, pages: list[str], language: str, pattern: re.Pattern, opened: dict) -> list[str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = []
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        opened[url] = opened.get(url, 0) + 1
        text = visible_text(response.content.decode())
        found += [f"{language} {url}: “{m.group(0)}” in …{_context(m, text)}…" for m in pattern.finditer(text)]
    return found


def test_no_code_names_in_vietnamese_and_no_vietnamese_calendar_in_english(demo, client):
    pages = _main_pages()
    opened: dict[str, int] = {}
    found: list[str] = []
    for username in DEMO_USERS:
        client.force_login(get_user_model().objects.get(username=username))
        found += _leaks(client, pages, "vi", _VI_PATTERN, opened)
        found += _leaks(client, pages, "en", _EN_PATTERN, opened)
    client.logout()
    found += _leaks(client, [reverse("home"), reverse("almanac:month_current"), reverse("news:list")], "vi", _VI_PATTERN, opened)
    found += _leaks(client, [reverse("almanac:month_current")], "en", _EN_PATTERN, opened)
    assert set(opened) == set(pages) | {reverse("almanac:month_current")}, f"never opened: {set(pages) - set(opened)}"
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_checks_see_what_they_look_for():
    """The patterns catch the leaks this test is about (and leave attribute values alone)."""
    html = ('<p title="status">Trạng thái: draft → submitted; is_public: True</p><script>var role="member"</script>'
            '<th>T2</th><h1>Tháng 12/2026</h1><span>năm khác</span>')
    text = visible_text(html)
    assert [m.group(0) for m in _VI_PATTERN.finditer(text)] == ["draft", "submitted", "is_public", "True"]
    assert {m.group(0) for m in _EN_PATTERN.finditer(text)} == {"T2", "Tháng 12/2026", "năm khác"}
