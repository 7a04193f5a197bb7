import io

import pytest
from openpyxl import load_workbook

from phoihop import factories as f
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting.models import Indicator, Target


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-ct", start=__import__("datetime").date(2019, 1, 1))
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    return program


def _fill(content: bytes, changes: dict) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Chỉ tiêu"]
    for coord, value in changes.items():
        ws[coord] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, content: bytes, name="chi-tieu.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/bao-cao/chi-tieu/ct-ct/?nam=2019", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_targets_set_on_the_page(client, program, manager, org_a):
    houses = Indicator.objects.get(code="gratitude_houses")
    client.force_login(manager)
    response = client.post("/bao-cao/chi-tieu/ct-ct/?nam=2019", {f"t-{org_a.pk}-{houses.pk}": "1.200"})
    assert response.status_code == 302
    assert Target.objects.get(program=program, organization=org_a, indicator=houses, year=2019).value == 1200


@pytest.mark.django_db
def test_targets_round_trip_through_excel(client, program, manager, org_a, org_b):
    # org_a is the standing office: it sets every party's targets (test_targets_authorization: a party only its own)
    SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a).programs.add(program)
    client.force_login(manager)
    content = client.get("/bao-cao/chi-tieu/ct-ct/excel/?nam=2019").content
    ws = load_workbook(io.BytesIO(content))["Chỉ tiêu"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "gratitude_houses")
    response = _upload(client, _fill(content, {f"D{row}": 12, f"E{row}": 30}))
    assert response.status_code == 302
    values = dict(Target.objects.filter(program=program, year=2019).values_list("organization_id", "value"))
    assert values == {org_a.pk: 12, org_b.pk: 30}


@pytest.mark.django_db
def test_a_bad_targets_file_writes_nothing_and_says_where(client, program, manager):
    client.force_login(manager)
    content = client.get("/bao-cao/chi-tieu/ct-ct/excel/?nam=2019").content
    ws = load_workbook(io.BytesIO(content))["Chỉ tiêu"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "gratitude_houses")
    response = _upload(client, _fill(content, {f"D{row}": 5, f"E{row}": -3, f"A{row + 1}": "khong_co"}))
    assert response.status_code == 422
    text = response.content.decode()
    assert f"Chỉ tiêu!E{row}" in text and "không được âm" in text and "khong_co" in text
    assert not Target.objects.exists()
    assert _upload(client, b"not a zip at all").status_code == 422
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_only_managers_set_targets(client, program, viewer, outsider, org_a):
    houses = Indicator.objects.get(code="gratitude_houses")
    client.force_login(viewer)
    assert client.post("/bao-cao/chi-tieu/ct-ct/?nam=2019", {f"t-{org_a.pk}-{houses.pk}": "5"}).status_code == 403
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_the_admin_writes_targets_through_the_service_and_only_for_a_system_administrator(client, program, manager, sysadmin, org_a, org_b):
    from phoihop.audit.models import AuditEntry

    houses = Indicator.objects.get(code="gratitude_houses")
    target = Target.objects.create(program=program, organization=org_b, indicator=houses, year=2019, value=10)
    url = f"/quan-tri/reporting/target/{target.pk}/change/"
    body = {"program": program.pk, "organization": org_b.pk, "indicator": houses.pk, "year": 2019, "value": "25"}
    # A party's committee administrator with back-office access may not set another party's target there.
    manager.is_staff = True
    manager.save()
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(*Permission.objects.filter(codename__in=["view_target", "change_target", "delete_target"]))
    client.force_login(manager)
    assert client.post(url, body).status_code == 403
    assert client.post(f"/quan-tri/reporting/target/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    target.refresh_from_db()
    assert target.value == 10
    # The system administrator's change goes through apply_targets, audited like any other.
    client.force_login(sysadmin)
    assert client.post(url, body).status_code == 302
    target.refresh_from_db()
    assert target.value == 25
    entry = AuditEntry.objects.filter(object_id=str(target.pk), action="update").latest("pk")
    assert entry.actor == sysadmin and entry.changes["value"][1] in ("25", "25.00", 25)
    assert client.post(f"/quan-tri/reporting/target/{target.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_periods_are_read_only_in_the_admin(client, sysadmin):
    from phoihop.reporting import services

    period = services.get_period("2019-07")
    client.force_login(sysadmin)
    response = client.post(f"/quan-tri/reporting/period/{period.pk}/change/", {"start": "01/01/2019"})
    assert response.status_code == 403
    assert client.get("/quan-tri/reporting/period/add/").status_code == 403
