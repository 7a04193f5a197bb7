"""Targets: the same input gets the same outcome and the same words at every door.

The targets page, the Excel import of targets and `PUT /api/targets` all read a cell through
`reporting.targets.TargetCells`; each door only says where the problem is."""

import datetime as dt
import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting.models import Indicator, Target

PAGE = "/bao-cao/chi-tieu/ct-doors/?nam=2019"


@pytest.fixture
def world(org_a, org_b, manager):
    program = f.ProgramFactory(code="ct-doors", start=dt.date(2019, 1, 1), end=dt.date(2023, 12, 31))
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    SteeringCommittee.objects.create(name="Ban chỉ đạo cửa", standing_office=org_a).programs.add(program)
    return {"program": program, "org": org_b, "user": manager, "indicator": Indicator.objects.get(code="gratitude_houses")}


def _page(client, world, raw) -> tuple[int, str]:
    client.force_login(world["user"])
    response = client.post(PAGE, {f"t-{world['org'].pk}-{world['indicator'].pk}": raw})
    return response.status_code, html.unescape(response.content.decode())


def _excel(client, world, raw) -> tuple[int, str]:
    client.force_login(world["user"])
    content = client.get("/bao-cao/chi-tieu/ct-doors/excel/?nam=2019").content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Chỉ tiêu"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == world["indicator"].code)
    column = next(c for c in range(4, ws.max_column + 1) if ws.cell(row=4, column=c).value == world["org"].pk)
    ws.cell(row=row, column=column).value = raw
    out = io.BytesIO()
    wb.save(out)
    response = client.post(PAGE, {"file": SimpleUploadedFile("chi-tieu.xlsx", out.getvalue())})
    return response.status_code, html.unescape(response.content.decode())


def _api(client, world, raw) -> tuple[int, str]:
    _token, secret = ApiToken.issue(world["user"])
    body = [{"program": "ct-doors", "organization": world["org"].pk, "indicator": world["indicator"].code,
             "year": 2019, "value": raw}]
    response = client.put("/api/targets", json.dumps(body), content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {secret}")
    return response.status_code, response.content.decode("unicode_escape") if response.status_code >= 400 else ""


DOORS = {"page": _page, "excel": _excel, "api": _api}
REFUSED = {"page": 422, "excel": 422, "api": 422}
ACCEPTED = {"page": 302, "excel": 302, "api": 200}


@pytest.mark.django_db
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("raw", "reason"), [
    ("-3", "không được âm"),
    ("abc", "“abc” không phải là số"),
    ("2,5", "phải là số nguyên"),
])
def test_a_bad_target_is_refused_with_the_same_words_at_every_door(client, world, door, raw, reason):
    status, text = DOORS[door](client, world, raw)
    assert status == REFUSED[door]
    assert f"{world['indicator'].name}: {reason}" in text
    assert not Target.objects.exists()
    if door == "page":  # what was typed comes back as typed, never lost nor turned into a 500
        assert f'value="{raw}"' in text


@pytest.mark.django_db
@pytest.mark.parametrize("door", DOORS)
def test_a_good_target_is_stored_the_same_at_every_door(client, world, door):
    status, _text = DOORS[door](client, world, "1.200")
    assert status == ACCEPTED[door]
    target = Target.objects.get()
    assert (target.organization_id, target.indicator_id, target.year, target.value) == (
        world["org"].pk, world["indicator"].pk, 2019, 1200)
