"""An emptied targets workbook (issue 12) is refused with a message naming the sheet: every blank
cell means "remove this target", so importing it would silently delete every target of the year."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from phoihop import factories as f
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting.models import Indicator, Target
from phoihop.reporting.targets_excel import build, import_targets

EMPTY = "không có chỉ tiêu nào để nhập"


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-rong", start=dt.date(2019, 1, 1))
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a).programs.add(program)
    return program


@pytest.fixture
def stored_target(program, org_a):
    houses = Indicator.objects.get(code="gratitude_houses")
    return Target.objects.create(program=program, organization=org_a, indicator=houses, year=2019, value=12)


def _changed(content: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    change(wb["Chỉ tiêu"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _clear_values(ws):
    for row in ws.iter_rows(min_row=6, min_col=4):
        for cell in row:
            cell.value = None


def _delete_rows(ws):
    ws.delete_rows(6, ws.max_row - 5)


@pytest.mark.django_db
@pytest.mark.parametrize("change", [_clear_values, _delete_rows], ids=["every-cell-blank", "rows-deleted"])
def test_an_emptied_targets_workbook_is_refused_and_deletes_nothing(program, manager, stored_target, change):
    content = _changed(build(program, 2019), change)
    result = import_targets(io.BytesIO(content), program, manager)
    assert not result.ok and any(EMPTY in p and "Chỉ tiêu" in p for p in result.problems), result.problems
    assert list(Target.objects.values_list("pk", "value")) == [(stored_target.pk, 12)]


@pytest.mark.django_db
def test_the_page_says_so(client, program, manager, stored_target):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    content = _changed(build(program, 2019), _clear_values)
    response = client.post(f"/bao-cao/chi-tieu/{program.code}/?nam=2019", {"file": SimpleUploadedFile("chi-tieu.xlsx", content)})
    assert response.status_code == 422 and EMPTY in response.content.decode()
    assert Target.objects.count() == 1


@pytest.mark.django_db
def test_removing_one_target_among_others_still_works(program, manager, org_a, org_b, stored_target):
    houses = Indicator.objects.get(code="gratitude_houses")
    Target.objects.create(program=program, organization=org_b, indicator=houses, year=2019, value=30)
    content = build(program, 2019)
    ws = load_workbook(io.BytesIO(content))["Chỉ tiêu"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "gratitude_houses")
    def clear_org_a(sheet):
        sheet.cell(row=row, column=4).value = None

    result = import_targets(io.BytesIO(_changed(content, clear_org_a)), program, manager)
    assert result.ok, result.problems
    assert list(Target.objects.values_list("organization_id", "value")) == [(org_b.pk, 30)]
