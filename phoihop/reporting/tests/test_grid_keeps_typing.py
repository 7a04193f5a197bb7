"""The entry grid never loses typing (issue 14, point 3): a refused save writes nothing and shows
back every value and comment exactly as typed, each bad cell marked with its message beside it
and listed at the top with a link to it; a save counts only what changed; indicator codes stay
out of the page (a `title` tooltip at most)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from phoihop.audit.models import AuditEntry
from phoihop.reporting.models import DataValue, Indicator
from phoihop.reporting.tests.worlds import current_month_with_a_value


@pytest.fixture
def grid(client, org_a, reporter):
    """The reporter on the grid of the current month, where gratitude_houses = 3 is stored."""
    _program, period = current_month_with_a_value(org_a, reporter, "ct-keep")
    client.force_login(reporter)
    url = reverse("reporting:grid", args=[org_a.pk, period.code])
    return url, period


def _inputs(html: str) -> dict[str, str]:
    """Every named input of the grid form: {name: value as the browser would send it}."""
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            found[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return found


def _input_tag(html: str, name: str) -> str:
    match = re.search(r'<input\b[^>]*\bname="' + re.escape(name) + r'"[^>]*>', html)
    assert match, name
    return match.group(0)


def _key(code: str, option: int | None = None) -> str:
    return f"{Indicator.objects.get(code=code).pk}:{option or 0}"


def _page_form(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    form = _inputs(response.content.decode())
    assert f"v-{_key('gratitude_houses')}" in form, "the grid is open for entry"
    return form


@pytest.mark.django_db
def test_one_bad_cell_keeps_every_typed_value_marks_the_cell_and_saves_nothing(client, grid):
    url, _period = grid
    form = _page_form(client, url)
    typed = {
        f"v-{_key('gratitude_houses')}": "5",  # a change of the stored 3
        f"v-{_key('gratitude_gift_value')}": "1.234,5",
        f"c-{_key('gratitude_gift_value')}": "theo sổ quỹ, tháng này",
        f"v-{_key('gratitude_savings_books')}": "abc",  # the bad cell
        f"v-{_key('recruit_called')}": "12",
        f"v-{_key('recruit_enlisted')}": "",
    }
    stored, audited = DataValue.objects.count(), AuditEntry.objects.count()
    response = client.post(url, {**form, **typed, "action": "save"})
    html = response.content.decode()

    assert response.status_code == 422
    assert DataValue.objects.count() == stored and AuditEntry.objects.count() == audited
    assert DataValue.objects.get(indicator__code="gratitude_houses").value == 3
    back = _inputs(html)
    for name, value in typed.items():
        assert back[name] == value, name
    bad = _key("gratitude_savings_books")
    tag = _input_tag(html, f"v-{bad}")
    assert 'class="invalid"' in tag and 'aria-invalid="true"' in tag and f'aria-describedby="err-{bad}"' in tag
    beside = re.search(r'<span class="cell-error" id="err-' + re.escape(bad) + r'">([^<]*)</span>', html)
    assert beside and "“abc” không phải là số" in unescape(beside.group(1))
    its_cell = re.search(r'<div class="cell">(?:(?!<div class="cell">).)*?name="v-' + re.escape(bad) + r'".*?</div>', html, re.S)
    assert f'id="err-{bad}"' in its_cell.group(0)  # beside the cell, in its own box
    summary = re.search(r'id="problems".*?</div>', html, re.S).group(0)
    assert f'href="#v-{bad}"' in summary and "Sổ tiết kiệm tình nghĩa trao tặng" in summary
    for good in ("gratitude_houses", "gratitude_gift_value", "recruit_called"):  # only the bad cell is marked
        assert "aria-invalid" not in _input_tag(html, f"v-{_key(good)}")


@pytest.mark.django_db
def test_a_range_error_and_a_value_typed_the_vietnamese_way_are_both_shown_back(client, grid):
    url, _period = grid
    form = _page_form(client, url)
    typed = {f"v-{_key('recruit_called')}": "-4", f"v-{_key('gratitude_gift_value')}": "45,5"}
    response = client.post(url, {**form, **typed, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 422
    assert _inputs(html)[f"v-{_key('gratitude_gift_value')}"] == "45,5"
    assert _inputs(html)[f"v-{_key('recruit_called')}"] == "-4"
    assert 'aria-invalid="true"' in _input_tag(html, f"v-{_key('recruit_called')}")
    assert "không được âm" in html
    assert not DataValue.objects.filter(indicator__code="gratitude_gift_value").exists()


@pytest.mark.django_db
def test_the_message_counts_only_what_changed_and_empty_cells_write_nothing(client, grid):
    url, period = grid
    form = _page_form(client, url)
    assert sum(1 for name in form if name.startswith("v-")) > 6  # the whole grid is posted, mostly empty
    typed = {f"v-{_key(code)}": value for code, value in [
        ("gratitude_gift_value", "1.234,5"), ("gratitude_savings_books", "2"), ("recruit_called", "40"),
        ("recruit_enlisted", "30"), ("recruit_quota", "35")]}
    entries = AuditEntry.objects.count()
    response = client.post(url, {**form, **typed, "action": "save"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Đã lưu 5 giá trị."]
    assert DataValue.objects.filter(period=period).count() == 6  # the stored one and the five typed
    assert not DataValue.objects.filter(value__isnull=True).exists()
    assert AuditEntry.objects.count() - entries == 5
    assert DataValue.objects.get(indicator__code="gratitude_gift_value").value == 1234.5
    assert DataValue.objects.get(indicator__code="gratitude_houses").version == 1  # unchanged: not rewritten

    response = client.post(url, {**_page_form(client, url), "action": "save"})  # saved again as shown
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Không có giá trị nào thay đổi nên không có gì để lưu."]
    assert AuditEntry.objects.count() - entries == 5


def _without_titles(html: str) -> str:
    return re.sub(r'\btitle="[^"]*"', "", html)


@pytest.mark.django_db
def test_no_indicator_code_shows_outside_a_tooltip(client, grid):
    url, _period = grid
    codes = list(Indicator.objects.filter(content_area__code__in=["gratitude", "recruitment"]).values_list("code", flat=True))
    page = client.get(url).content.decode()
    assert any(f'title="{code}"' in page for code in codes)  # the tooltip for the curious
    form = _inputs(page)
    bad = {f"v-{_key(code)}": "x" for code in ("gratitude_houses", "recruit_called", "gratitude_gift_value")}
    refused = client.post(url, {**form, **bad, "action": "submit"}).content.decode()
    for html in (page, refused):
        visible = _without_titles(html)
        for code in codes:
            assert code not in visible, code


@pytest.mark.django_db
def test_the_messages_every_door_shares_name_the_indicator_not_its_code(grid, org_a, reporter):
    from phoihop.reporting import activities, bulk, services

    _url, period = grid
    twice = bulk.save_values(org_a, period, reporter, [services.CellInput("recruit_called", "1"),
                                                       services.CellInput("recruit_called", "2")])
    foreign = bulk.save_values(org_a, period, reporter, [services.CellInput("hcm_study_sessions", "1")])
    errors: dict[str, list[str]] = {"values": []}
    activities._check_figures([("recruit_called", "1"), ("recruit_called", "2")], errors)
    messages = [p.message for p in twice.errors + foreign.errors] + errors["values"]
    assert len(messages) == 3
    for message in messages:
        assert "recruit_called" not in message and "hcm_study_sessions" not in message, message
    assert "Công dân được gọi khám sức khỏe nghĩa vụ quân sự" in messages[0]
    assert Indicator.objects.get(code="hcm_study_sessions").name in messages[1]
