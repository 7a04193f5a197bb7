"""A request that does not fit the API's schema is answered in the reader's language, never in
pydantic's English; each error keeps its place and kind for programs."""

import json

import pytest

from phoihop.reporting.tests.worlds import auth

pytestmark = pytest.mark.django_db

ENGLISH = ("Field required", "String should", "Input should", "valid integer", "Value error")


def _post(client, user, body):
    return client.post("/api/programs", data=json.dumps(body) if not isinstance(body, str) else body,
                       content_type="application/json", **auth(user))


def test_schema_errors_in_vietnamese_with_their_place(client, manager):
    response = _post(client, manager, {"code": "x" * 61, "start": "09/07/2019", "parties": "không phải danh sách"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    by_place = {tuple(e["loc"][1:]): e for e in detail}
    assert by_place[("payload", "title")]["msg"] == "Thiếu trường bắt buộc."
    assert by_place[("payload", "code")]["msg"] == "Dài quá 60 ký tự."
    assert by_place[("payload", "start")]["msg"] == "Ngày không hợp lệ; dùng dạng yyyy-mm-dd."
    assert by_place[("payload", "parties")]["msg"] == "Phải là một danh sách."
    assert {e["type"] for e in detail} >= {"missing", "string_too_long"}
    assert not any(word in response.content.decode() for word in ENGLISH)


def test_broken_json_is_said_plainly(client, manager):
    response = _post(client, manager, "{không phải json")
    assert response.status_code == 422
    assert response.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


def test_english_readers_get_english(client, manager, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language menu's choice
    response = _post(client, manager, {"start": "2019-07-09"})
    assert response.status_code == 422
    assert {e["msg"] for e in response.json()["detail"]} == {"This field is required."}
