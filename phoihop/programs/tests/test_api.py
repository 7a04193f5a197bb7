import json

import pytest
from django.core.management import call_command

from phoihop.accounts.models import ApiToken
from phoihop.programs.models import Program


def _auth(user):
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, payload, user, method="post"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json", **_auth(user))


@pytest.fixture
def payload(org_a, org_b):
    return {
        "code": "ct-moi",
        "title": "Chương trình phối hợp mới",
        "start": "2024-01-01",
        "end": "2028-12-31",
        "parties": [{"organization": org_a.pk, "role": "lead"}, {"organization": org_b.pk}],
        "content_areas": ["gratitude", "recruitment"],
    }


@pytest.mark.django_db
def test_anonymous_callers_get_401(client):
    assert client.get("/api/programs").status_code == 401


@pytest.mark.django_db
def test_bad_token_gets_401(client):
    assert client.get("/api/programs", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


@pytest.mark.django_db
def test_demo_programs_have_the_documented_shape(client, sysadmin):
    call_command("loaddemo", verbosity=0)
    data = client.get("/api/programs", **_auth(sysadmin)).json()
    by_code = {p["code"]: p for p in data}
    new = by_code["bn-phoihop-2019-2023"]
    assert set(new) >= {"code", "title", "kind", "status", "start", "end", "parties", "predecessors", "content_areas"}
    assert new["predecessors"] == ["bn-chqs-ctxh-2013-2019", "bn-dv-chqs-2016-2019"]
    assert new["start"] == "2019-07-09" and new["end"] == "2023-12-31"
    assert {"organization", "role"} <= set(new["parties"][0])
    assert len(new["parties"]) == 11
    assert len(new["content_areas"]) == 14
    one = client.get("/api/programs/bn-phoihop-2019-2023", **_auth(sysadmin)).json()
    assert one["code"] == "bn-phoihop-2019-2023"


@pytest.mark.django_db
def test_organizations_as_of_a_date_with_folded_search(client, viewer):
    call_command("loaddemo", verbosity=0)
    rows = client.get("/api/organizations?as_of=2019-07-09&q=dan van", **_auth(viewer)).json()
    assert [r["name"] for r in rows] == ["Ban Dân vận Thành ủy Bắc Ninh"]
    assert set(rows[0]) == {"id", "name", "short_name", "kind", "parent", "parent_name", "valid_from", "valid_to"}
    assert rows[0]["parent_name"] == "Thành ủy Bắc Ninh"
    assert client.get("/api/organizations?as_of=2026-01-01&q=dan van", **_auth(viewer)).json() == []


@pytest.mark.django_db
def test_a_manager_creates_a_program(client, manager, payload):
    response = _post(client, "/api/programs", payload, manager)
    assert response.status_code == 201, response.content
    assert response.json()["parties"][0]["role"] == "lead"
    assert Program.objects.get(code="ct-moi").content_areas.count() == 2


@pytest.mark.django_db
def test_a_viewer_may_not_create_a_program(client, viewer, payload):
    assert _post(client, "/api/programs", payload, viewer).status_code == 403
    assert not Program.objects.filter(code="ct-moi").exists()


@pytest.mark.django_db
def test_the_client_cannot_create_a_program_for_organisations_it_does_not_manage(client, outsider, org_a):
    # outsider is only a reporter of org_b; naming org_a as a party does not grant anything
    payload = {"code": "x", "title": "X", "start": "2024-01-01", "end": "2025-01-01", "parties": [{"organization": org_a.pk}]}
    assert _post(client, "/api/programs", payload, outsider).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": "2020-01-01"}, "end", "sau ngày bắt đầu"),
        ({"parties": [{"organization": 999999}]}, "parties", "Không có tổ chức"),
        ({"predecessors": ["ct-moi"]}, "predecessors", "kế tiếp chính nó"),
        ({"predecessors": ["khong-co"]}, "predecessors", "Không có chương trình"),
        ({"content_areas": ["khong_co"]}, "content_areas", "Không có nội dung"),
        ({"end": None}, "end", "phải có ngày kết thúc"),
    ],
)
def test_invalid_programs_get_422_and_write_nothing(client, manager, payload, change, field, message):
    response = _post(client, "/api/programs", {**payload, **change}, manager)
    assert response.status_code == 422
    assert message in " ".join(response.json()["detail"][field])
    assert not Program.objects.filter(code="ct-moi").exists()


@pytest.mark.django_db
def test_malformed_json_gets_422(client, manager):
    response = _post(client, "/api/programs", "{not json", manager)
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_schema_errors_get_422(client, manager):
    response = _post(client, "/api/programs", {"code": "a", "title": "t", "start": "31/02/2020"}, manager)
    assert response.status_code == 422


@pytest.mark.django_db
def test_update_refuses_a_cycle_of_succession(client, manager, payload):
    _post(client, "/api/programs", payload, manager)
    _post(client, "/api/programs", {**payload, "code": "ct-sau", "predecessors": ["ct-moi"]}, manager)
    response = _post(client, "/api/programs/ct-moi", {**payload, "predecessors": ["ct-sau"]}, manager, method="put")
    assert response.status_code == 422
    assert Program.objects.get(code="ct-moi").predecessors.count() == 0


@pytest.mark.django_db
def test_status_moves_only_along_allowed_transitions(client, manager, payload):
    _post(client, "/api/programs", payload, manager)
    bad = _post(client, "/api/programs/ct-moi/status", {"status": "ended"}, manager)
    assert bad.status_code == 422
    # Signing needs the signing date and each party's document number and signatory: named, nothing written.
    unsigned = _post(client, "/api/programs/ct-moi/status", {"status": "signed"}, manager)
    assert unsigned.status_code == 422
    detail = str(unsigned.json()["detail"])
    assert "thiếu ngày ký" in detail and "số văn bản" in detail and "họ tên người ký" in detail
    assert Program.objects.get(code="ct-moi").status == "draft"
    details = {"role": "lead", "document_number": "15", "signatory_name": "Lê Minh Đức", "signatory_title": "Chỉ huy trưởng"}
    signed_payload = {**payload, "parties": [{"organization": payload["parties"][0]["organization"], **details}]}
    assert _post(client, "/api/programs/ct-moi", signed_payload, manager, "put").status_code == 200
    ok = _post(client, "/api/programs/ct-moi/status", {"status": "signed", "signing_date": "2024-01-05"}, manager)
    assert ok.status_code == 200 and ok.json()["status"] == "signed" and ok.json()["signing_date"] == "2024-01-05"


@pytest.mark.django_db
def test_openapi_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/programs" in schema["paths"]
    assert "/api/organizations" in schema["paths"]
