"""The leader's dashboard shows the figures of `phoihop results`, every chart with its table."""

import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from phoihop.core.formatting import number_vi

pytestmark = pytest.mark.django_db

LEADER = "/bang-dieu-khien/lanh-dao/"
FIELDS = ("value", "target", "achieved_pct", "previous_value", "joint_value")


def _json_number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class _Rows(HTMLParser):
    """The cells of every table row that names an indicator and an organisation."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-indicator" in attrs:
            self._row = {"key": (attrs["data-indicator"], attrs["data-organization"]), "cells": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def _results(capsys, *args):
    call_command("results", "--program", "ct-dash", *args, "--format", "json")
    return {(r["indicator"], r["organization"]): r for r in json.loads(capsys.readouterr().out)}


def _shown(figures):
    yield from (f for area in figures.areas for f in area.figures)
    yield from figures.indicator_figures


def test_the_leaders_figures_are_those_of_phoihop_results(client, viewer, figures, capsys):
    expected = _results(capsys, "--from", "2019-01-01", "--to", "2020-12-31")
    client.force_login(viewer)
    checked = 0
    for indicator in sorted({code for code, org in expected if org is not None}):
        response = client.get(f"{LEADER}?program=ct-dash&from=01/01/2019&to=31/12/2020&indicator={indicator}")
        shown = response.context["figures"]
        assert not shown.draft
        for figure in _shown(shown):
            row = expected[(figure.indicator, figure.organization)]
            assert {k: _json_number(getattr(figure, k)) for k in FIELDS} == {k: row[k] for k in FIELDS}
            checked += 1
    totals = {code for code, org in expected if org is None}
    assert {f.indicator for area in shown.areas for f in area.figures} == totals
    assert checked > len(totals)
    assert expected[("gratitude_houses", None)]["value"] == 1239


def test_the_tables_print_the_same_figures_the_vietnamese_way(client, viewer, figures, capsys):
    expected = _results(capsys, "--from", "2019-01-01", "--to", "2020-12-31")
    client.force_login(viewer)
    html = client.get(f"{LEADER}?program=ct-dash&from=2019-01-01&to=2020-12-31&indicator=gratitude_houses").content.decode()
    parser = _Rows()
    parser.feed(html)
    seen = 0
    for row in parser.rows:
        indicator, org = row["key"]
        data = expected[(indicator, int(org) if org else None)]
        value = data["value"]
        assert (number_vi(value) if value is not None else "—") in row["cells"], row
        seen += 1
    assert seen >= 3
    assert "1.239" in html and "1.234" in html  # the total and org_b's figure, written 1.234.567,5


def test_the_default_window_is_the_whole_phase_like_phoihop_results(client, viewer, figures, capsys):
    expected = _results(capsys)
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-dash")
    total = response.context["figures"].indicator_total
    assert total.indicator == "gratitude_houses"  # the first indicator with targets per organisation
    assert _json_number(total.value) == expected[("gratitude_houses", None)]["value"]


def test_every_chart_is_followed_by_its_figures_as_a_table(client, viewer, figures):
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-dash&indicator=gratitude_houses")
    html = response.content.decode()
    charts = html.count('<figure class="chart">')
    assert charts >= 2
    assert html.count("data:image/png;base64,") == charts
    for table in ('id="targets-table"', 'id="indicator-table"'):
        assert table in html
    # each chart comes before the table holding its figures
    assert html.index(response.context["achievement_chart"]) < html.index('id="targets-table"')
    assert html.index(response.context["organization_chart"]) < html.index('id="indicator-table"')
    targets = [f.indicator for f in response.context["figures"].targets]
    assert targets == ["gratitude_houses", "recruit_enlisted"]  # the achievement chart's bars, also the table's rows
    assert 'alt="Biểu đồ' in html


def test_a_bad_date_is_explained_and_the_whole_phase_shown(client, viewer, figures):
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-dash&from=31/02/2019&to=30/06/2019")
    assert "“31/02/2019” không hợp lệ" in response.content.decode()
    assert (response.context["date_from"].isoformat(), response.context["date_to"].isoformat()) == ("2019-01-01", "2019-06-30")
    response = client.get(f"{LEADER}?program=ct-dash&from=01/06/2019&to=01/01/2019")
    assert "phải sau hoặc bằng" in response.content.decode()
    assert (response.context["date_from"].isoformat(), response.context["date_to"].isoformat()) == ("2019-01-01", "2020-12-31")


def test_a_program_without_figures_says_so(client, viewer, program):
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-dash")
    assert response.status_code == 200
    assert "Chưa có số liệu đã duyệt" in response.content.decode()
    assert response.context["achievement_chart"] is None


def test_a_user_who_sees_no_program_gets_an_empty_dashboard(client, outsider):
    client.force_login(outsider)
    response = client.get(LEADER)
    assert response.status_code == 200 and "chưa xem được chương trình nào" in response.content.decode()


def test_a_program_with_many_parties_shows_the_first_rows_and_offers_the_rest(client, viewer, figures, org_a):
    from phoihop import factories as f
    from phoihop.dashboards.tests.conftest import approved
    from phoihop.dashboards.views import ROWS_SHOWN

    for n in range(ROWS_SHOWN + 5):
        org = f.OrganizationFactory(name=f"Hội Cựu chiến binh phường Thử {n:02d}", short_name=f"CCB {n:02d}")
        f.PartyFactory(program=figures, organization=org, order=10 + n)
    approved(org, "2019-07", gratitude_houses="5")  # the last one's houses still count in the total
    client.force_login(viewer)
    page = client.get(LEADER).content.decode()
    parser = _Rows()
    parser.feed(page)
    organizations = page.split('id="organizations-table"')[1].split("</table>")[0]
    assert organizations.count("<tr data-organization=") == ROWS_SHOWN
    assert f"Đang hiện {ROWS_SHOWN} trên {ROWS_SHOWN + 7} tổ chức" in page
    total = next(r for r in parser.rows if r["key"] == ("gratitude_houses", "") and r["cells"][0] == "Tổng cộng")
    assert total["cells"][1] == number_vi(3 + 2 + 1234 + 5)
    everything = client.get(LEADER, {"orgs": "all"}).content.decode()
    assert everything.split('id="organizations-table"')[1].split("</table>")[0].count("<tr data-organization=") == ROWS_SHOWN + 7
    assert "Đang hiện" not in everything
