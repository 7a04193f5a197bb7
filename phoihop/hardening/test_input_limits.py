"""Issue 12: no 500 from input, bounded cost.

- a hostile program or event title gives a valid calendar feed (escaped, folded, no control
  character), for every viewer;
- a number beyond the database's range in a filter, a date outside 01/01/1900 - 31/12/2099 on
  any door, answer 4xx with a Vietnamese message;
- an upload over the limit answers 413 under the test client and under a live server (the same
  request handler as `runserver`);
- results are bounded (programs per request, years per window), expensive routes throttled per
  user (429 + Retry-After), and a statement running past PHOIHOP_DB_STATEMENT_TIMEOUT_MS in a web
  request is cancelled and answered 503 (PostgreSQL), while commands are not limited.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.error
import urllib.request

import icalendar
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.programs.models import ContentArea, ProgramStatus

pytestmark = pytest.mark.django_db

# PostgreSQL refuses a NUL in text (the title could not be saved); SQLite stores it.
NUL = "\x00" if connection.vendor == "sqlite" else ""
HOSTILE_TITLE = f"Giao ban\nquý III\r\nđường dẫn C:\\tmp, mục; một{NUL}hai\x07ba\x1b" + " dài" * 80


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _api(user) -> Client:
    _token, raw = ApiToken.issue(user)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def signed_program(org_a, org_b):
    program = f.ProgramFactory(code="ct-gioi-han", title="Chương trình thử giới hạn", start=dt.date(2019, 1, 1),
                               end=dt.date(2023, 12, 31), status=ProgramStatus.SIGNED, signing_date=dt.date(2019, 1, 1))
    program.content_areas.set(ContentArea.objects.filter(code__in=["recruitment", "gratitude"]))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    return program


# ---------------------------------------------------------------- calendar feeds

def _lines_are_folded(body: bytes) -> bool:
    return all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_a_hostile_title_gives_a_valid_feed(manager, draft_program, private_event, org_a):
    draft_program.title = HOSTILE_TITLE
    draft_program.save()
    private_event.title = HOSTILE_TITLE
    private_event.place = f"Hội trường; tầng 2, phòng \\ 3\nlối sau{NUL}"
    private_event.starts_at = timezone.now() + dt.timedelta(days=3)
    private_event.save()
    client = _client(manager)
    for url in (f"/lich/chuong-trinh/{draft_program.code}/lich.ics", f"/lich/to-chuc/{org_a.pk}/lich.ics"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.content
        assert b"\x00" not in body and b"\x07" not in body and b"\x1b" not in body
        assert _lines_are_folded(body)
        calendar = icalendar.Calendar.from_ical(body)
        events = [e for e in calendar.walk("VEVENT") if str(e.get("uid", "")).startswith("event-")]
        assert len(events) == 1, url
        summary = str(events[0]["summary"])
        assert summary.startswith("Giao ban\nquý III\nđường dẫn C:\\tmp, mục; mộthaiba dài")
        assert len(summary) <= 2000
        assert str(events[0]["location"]) == "Hội trường; tầng 2, phòng \\ 3\nlối sau"
    # The calendar's name is an X- property (no known type): written escaped like any text.
    program_feed = client.get(f"/lich/chuong-trinh/{draft_program.code}/lich.ics").content
    assert "X-WR-CALNAME:Giao ban\\nquý III\\nđường dẫn C:\\\\tmp\\, mục\\; mộthaiba".encode() in program_feed.replace(b"\r\n ", b"")


def test_feed_text_drops_control_characters_and_keeps_lines():
    from phoihop.almanac.ical import clean_text

    assert clean_text("a\x00b\x01c\x7fd\x85e\tf\r\ng\rh") == "abcde\tf\ng\nh"
    assert len(clean_text("x" * 5000)) == 2000 and clean_text("x" * 5000).endswith("…")
    event = icalendar.Event()
    event.add("summary", clean_text("một, hai; ba\\ bốn\nnăm"))
    assert b"SUMMARY:m\xe1\xbb\x99t\\, hai\\; ba\\\\ b\xe1\xbb\x91n\\nn\xc4\x83m" in event.to_ical()


# ---------------------------------------------------------------- numbers and dates in filters

@pytest.mark.parametrize("value", ["9" * 25, "²", "١٢", "-1", "1e5"])
def test_a_bad_organisation_filter_of_the_approval_log_is_a_400(sysadmin, value):
    response = _client(sysadmin).get("/quan-tri-he-thong/phe-duyet/", {"to_chuc": value})
    assert response.status_code == 400
    assert "không phải là mã số của một tổ chức" in response.content.decode()


@pytest.mark.parametrize("path", ["/quan-tri-he-thong/phe-duyet/", "/quan-tri-he-thong/dang-nhap/"])
def test_a_date_out_of_range_in_the_audit_pages_is_a_400(sysadmin, path):
    response = _client(sysadmin).get(path, {"tu": "01/01/1800", "den": "9999-12-31"})
    assert response.status_code == 400
    assert "phải trong khoảng 01/01/1900 - 31/12/2099" in response.content.decode()


def test_the_approval_log_still_filters_by_organisation(sysadmin, org_a):
    response = _client(sysadmin).get("/quan-tri-he-thong/phe-duyet/", {"to_chuc": str(org_a.pk)})
    assert response.status_code == 200


def test_parse_id_and_parse_year():
    from phoihop.core.bounds import ID_MAX, parse_id, parse_year

    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(str(ID_MAX)) == ID_MAX
    for bad in ["", "0", "-1", "²", "١٢", str(ID_MAX + 1), "9" * 25, None, "4 2"]:
        assert parse_id(bad) is None, bad
    assert parse_year("2019") == 2019 and parse_year("1900") == 1900 and parse_year("2099") == 2099
    for bad in ["1899", "2100", "²⁰¹⁹", "20190", ""]:
        assert parse_year(bad) is None, bad


# ---------------------------------------------------------------- dates on the API

@pytest.mark.parametrize("query", [
    {"from": "1800-01-01"}, {"to": "2100-01-01"}, {"from": "0001-01-01", "to": "9999-12-31"},
])
def test_results_and_values_refuse_dates_out_of_range(manager, signed_program, query):
    client = _api(manager)
    for path in ("/api/results", "/api/datavalues"):
        response = client.get(path, {"program": signed_program.code, **query})
        assert response.status_code == 422, (path, response.content[:300])
        assert "phải trong khoảng 01/01/1900 - 31/12/2099" in response.json()["detail"]


def test_organisations_as_of_out_of_range_is_a_422(viewer):
    response = _api(viewer).get("/api/organizations", {"as_of": "1800-01-01"})
    assert response.status_code == 422
    assert "phải trong khoảng" in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("field", ["start", "end", "signing_date"])
def test_a_program_dated_out_of_range_is_refused(manager, org_a, field):
    body = {"code": "ct-ngoai-khoang", "title": "Chương trình", "kind": "program", "start": "2019-07-09",
            "end": "2023-12-31", "signing_date": "2019-07-09", "parties": [{"organization": org_a.pk, "role": "lead"}]}
    body[field] = "1850-01-01" if field != "end" else "2150-12-31"
    response = _api(manager).post("/api/programs", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    assert field in response.json()["detail"], response.json()


def test_a_target_year_out_of_range_is_refused(manager, signed_program):
    rows = [{"program": signed_program.code, "organization": None, "indicator": "recruit_enlisted", "year": 2100, "value": 1}]
    response = _api(manager).put("/api/targets", json.dumps(rows), content_type="application/json")
    assert response.status_code == 422


# ---------------------------------------------------------------- bounded results

def test_results_over_a_window_too_long_are_refused_with_the_reason(manager, signed_program, settings):
    settings.PHOIHOP_RESULTS_MAX_YEARS = 10
    client = _api(manager)
    response = client.get("/api/results", {"program": signed_program.code, "from": "1900-01-01", "to": "2099-12-31",
                                           "by_year": "true"})
    assert response.status_code == 422
    assert "tối đa 10 năm" in response.json()["detail"]["to"][0]
    ok = client.get("/api/results", {"program": signed_program.code, "from": "2019-01-01", "to": "2028-12-31"})
    assert ok.status_code == 200, ok.content[:300]
    just_over = client.get("/api/results", {"program": signed_program.code, "from": "2019-01-01", "to": "2029-01-01"})
    assert just_over.status_code == 422


def test_results_of_too_many_programs_are_refused_before_any_is_read(manager, settings):
    settings.PHOIHOP_RESULTS_MAX_PROGRAMS = 3
    response = _api(manager).get("/api/results", {"program": ["a", "b", "c", "d"]})
    assert response.status_code == 422
    assert "Tối đa 3 chương trình" in response.json()["detail"]["program"][0]


def test_the_results_command_is_bounded_too(signed_program):
    with pytest.raises(CommandError, match="tối đa 10 năm"):
        call_command("results", "--program", signed_program.code, "--from", "1900-01-01", "--to", "2099-12-31",
                     stdout=io.StringIO())
    with pytest.raises(CommandError, match="phải trong khoảng"):
        call_command("results", "--program", signed_program.code, "--from", "1850-01-01", "--to", "1851-01-01",
                     stdout=io.StringIO())


def test_the_leader_dashboard_shows_at_most_the_window_allowed(manager, signed_program, settings):
    settings.PHOIHOP_RESULTS_MAX_YEARS = 2
    response = _client(manager).get("/bang-dieu-khien/lanh-dao/",
                                     {"program": signed_program.code, "from": "01/01/2019", "to": "31/12/2023"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "tối đa 2 năm" in text and "Đang hiển thị từ 01/01/2022 đến 31/12/2023" in text
    far = _client(manager).get("/bang-dieu-khien/lanh-dao/", {"program": signed_program.code, "from": "01/01/1800"})
    assert far.status_code == 200 and "phải trong khoảng" in far.content.decode()


def test_a_review_window_too_long_or_out_of_range_is_refused_by_the_form(org_a, signed_program):
    from phoihop.organizations.models import Organization
    from phoihop.programs.models import Program
    from phoihop.reviews.forms import ReviewForm

    def form(start, end):
        data = {"title": "Sơ kết", "kind": "interim", "date": "10/07/2019", "place": "Bắc Ninh", "organizer": org_a.pk,
                "program_0": signed_program.code, "start_0": start, "end_0": end}
        return ReviewForm(data, organizers=Organization.objects.all(), programs=Program.objects.all())

    assert form("01/01/2019", "30/06/2019").is_valid()
    too_long = form("01/01/1990", "30/06/2019")
    assert not too_long.is_valid() and "tối đa 10 năm" in str(too_long.errors["end_0"])
    far = form("01/01/1800", "30/06/2019")
    assert not far.is_valid() and "phải trong khoảng" in str(far.errors["start_0"])


# ---------------------------------------------------------------- throttling

@pytest.fixture
def throttling(settings):
    settings.PHOIHOP_THROTTLE_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()


def test_results_are_throttled_per_user_with_retry_after(throttling, manager, viewer, signed_program):
    throttling.PHOIHOP_THROTTLE_RATES = {**throttling.PHOIHOP_THROTTLE_RATES, "results": "2/m"}
    client = _api(manager)
    query = {"program": signed_program.code, "from": "2019-01-01", "to": "2019-12-31"}
    assert [client.get("/api/results", query).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/results", query)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "quá nhiều yêu cầu" in refused.json()["detail"]
    # Another user has their own counter.
    assert _api(viewer).get("/api/results", query).status_code == 200


def test_bulk_writes_are_throttled(throttling, manager):
    throttling.PHOIHOP_THROTTLE_RATES = {**throttling.PHOIHOP_THROTTLE_RATES, "bulk": "1/m"}
    client = _api(manager)
    client.post("/api/datavalues", "[]", content_type="application/json")
    refused = client.post("/api/datavalues", "[]", content_type="application/json")
    assert refused.status_code == 429 and refused["Retry-After"]


def test_excel_and_document_pages_are_throttled(throttling, reporter, manager, org_a, signed_program):
    throttling.PHOIHOP_THROTTLE_RATES = {**throttling.PHOIHOP_THROTTLE_RATES, "excel": "1/m", "documents": "1/m"}
    client = _client(reporter)
    month = "2019-07"
    first = client.get(f"/bao-cao/excel/{org_a.pk}/mau.xlsx", {"ky": month})
    assert first.status_code < 429
    refused = client.get(f"/bao-cao/excel/{org_a.pk}/mau.xlsx", {"ky": month})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "quá nhiều yêu cầu" in refused.content.decode()
    # The Excel page itself (GET, no file produced) is not counted.
    assert client.get(f"/bao-cao/excel/{org_a.pk}/").status_code == 200
    documents = _client(manager)
    assert documents.get(f"/so-ket/van-ban/{signed_program.code}.docx").status_code == 200
    assert documents.get(f"/so-ket/van-ban/{signed_program.code}.docx").status_code == 429


def test_throttling_rates_parse():
    from phoihop.core.throttle import parse_rate

    assert parse_rate("30/m") == (30, 60)
    assert parse_rate("5/10s") == (5, 10)
    assert parse_rate("100/h") == (100, 3600)
    assert parse_rate("2/d") == (2, 86400)


# ---------------------------------------------------------------- uploads over the limit

def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "gioihan"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + b"\0" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


ELEVEN_MB = 11 * 1024 * 1024


@pytest.mark.parametrize("path", ["/bao-cao/excel/1/", "/tin-tuc/bien-tap/1/anh/", "/bao-cao/chi-tieu/ct-gioi-han/"])
def test_an_upload_over_the_limit_is_a_413_under_the_test_client(reporter, path):
    body, content_type = _multipart(ELEVEN_MB)
    response = _client(reporter).generic("POST", path, body, content_type=content_type)
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()


def test_a_json_body_over_the_limit_is_a_413_in_json(manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = _api(manager).post("/api/datavalues", "[" + " " * (2 * 1024 * 1024) + "]", content_type="application/json")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_an_upload_over_the_limit_is_a_413_under_a_live_server(live_server):
    """The live server runs Django's own request handler, the one of `runserver`."""
    body, content_type = _multipart(ELEVEN_MB)
    request = urllib.request.Request(f"{live_server.url}/bao-cao/excel/1/", data=body, method="POST",
                                     headers={"Content-Type": content_type})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert "Tệp quá lớn" in refused.value.read().decode()


# ---------------------------------------------------------------- statement timeout (PostgreSQL)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")


def _sleep(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    return []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_slow_statement_in_a_request_is_cancelled_and_answered_503(settings, monkeypatch):
    from phoihop.dashboards import services as dashboard_services
    from phoihop.results import aggregation

    settings.PHOIHOP_DB_STATEMENT_TIMEOUT_MS = 300
    org = f.OrganizationFactory(name="Ban CHQS thử thời gian")
    user = f.UserFactory(username="cham")
    f.MembershipFactory(user=user, organization=org, role="committee_admin")
    program = f.ProgramFactory(code="ct-cham", start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31),
                               status=ProgramStatus.SIGNED, signing_date=dt.date(2019, 1, 1))
    f.PartyFactory(program=program, organization=org, role="lead")
    monkeypatch.setattr(aggregation, "results", _sleep)
    monkeypatch.setattr(dashboard_services, "leader_figures", _sleep)

    started = timezone.now()
    api = _api(user).get("/api/results", {"program": program.code})
    assert api.status_code == 503, api.content[:300]
    assert "quá nhiều thời gian" in api.json()["detail"] and api["Retry-After"]
    assert (timezone.now() - started).total_seconds() < 2.5

    page = _client(user).get("/bang-dieu-khien/lanh-dao/", {"program": program.code})
    assert page.status_code == 503
    assert "quá nhiều thời gian" in page.content.decode()

    # The limit ends with the request: the connection is back to the default, and a command's
    # statement (no middleware) runs as long as it needs.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SELECT pg_sleep(0.6)")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_commands_are_not_limited(settings, monkeypatch):
    from phoihop.results import aggregation

    settings.PHOIHOP_DB_STATEMENT_TIMEOUT_MS = 100
    program = f.ProgramFactory(code="ct-lenh", start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.4)")
        return []

    monkeypatch.setattr(aggregation, "results", slow)
    out = io.StringIO()
    call_command("results", "--program", program.code, "--format", "json", stdout=out)
    assert out.getvalue().strip() == "[]"


def test_a_timeout_error_is_recognised():
    from django.db import OperationalError

    from phoihop.core.protection import is_statement_timeout

    class Cancelled(Exception):
        sqlstate = "57014"

    wrapped = OperationalError("canceling statement due to statement timeout")
    wrapped.__cause__ = Cancelled()
    assert is_statement_timeout(wrapped)
    assert not is_statement_timeout(OperationalError("server closed the connection"))


def test_superscript_digits_are_not_numbers_anywhere():
    """"²".isdigit() is True and int("²") raises: each such check now reads decimals only."""
    from phoihop.documents.layout import _number
    from phoihop.news.sanitize import clean_body

    assert 'width="²"' not in clean_body('<table><tr><td width="²" colspan="١">x</td></tr></table>')
    assert _number("²") == "²" and _number("7") == "07"
