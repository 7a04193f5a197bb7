"""Issue 8, point 2: pages and exports are safe against injection.

Organisation, program, activity, event and review titles and value comments carry an HTML payload,
attribute-breaking quotes, spreadsheet formulas (=HYPERLINK, DDE) and, in an event title, line
breaks that would add an event to a calendar feed. Every page the leak probe reaches is fetched as
org_a's committee administrator (who sees all of it), and each response is checked for its type:
HTML shows the payloads escaped, CSV cells never start a formula, .xlsx files hold no formula and
quote-prefix dangerous text, .ics feeds keep one event per event.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest

from phoihop.hardening.probe import Fills, page_requests, page_routes
from phoihop.reporting import bulk, exports, services

pytestmark = pytest.mark.django_db

XSS = "<script>alert('ZQXXSS')</script>"
ATTRIBUTE = '"><img src=x onerror=alert("ZQXATTR")>'
FORMULA = '=HYPERLINK("http://127.0.0.1/?q="&A1,"ZQXLINK")'
DDE = "=cmd|' /C calc'!A0"
ICS_BREAK = "\r\nBEGIN:VEVENT\r\nSUMMARY:ZQXINJECTED\r\nEND:VEVENT"
COMMENTS = [DDE, "=1+2", "+SUM(1;2)", "-2+3", "@SUM(A1)", "\t=1+1", " =1+1"]


@pytest.fixture
def hostile_world(private_world):
    w = private_world
    w.org_a.name = f"Ban CHQS {XSS}"
    w.org_a.short_name = FORMULA[:40]
    w.org_a.save()
    for program in (w.draft_program, w.shared_program):
        program.title = f"{FORMULA} {XSS} {ATTRIBUTE}"
        program.save()
    w.activity.title = f"{XSS}{ATTRIBUTE}"
    w.activity.result = FORMULA
    w.activity.save()
    w.event.title = f"Giao ban {XSS}{ICS_BREAK}"
    w.event.place = FORMULA
    w.event.save()
    w.review.title = f"{XSS} {FORMULA}"
    w.review.save()
    code = w.period_codes[0]
    period = services.get_period(code, services.convention_for(w.org_a))
    codes = ["recruit_called", "recruit_enlisted", "recruit_quota", "gratitude_houses", "gratitude_savings_books",
             "gratitude_gift_value", ("gratitude_gifts", "thuong_binh")]
    cells = []
    for n, (code, comment) in enumerate(zip(codes, COMMENTS, strict=False), start=1):
        code, option = code if isinstance(code, tuple) else (code, None)
        cells.append(services.CellInput(code, n, option=option, comment=comment))
    result = bulk.save_values(w.org_a, period, None, cells, check_permission=False)
    assert result.ok, (result.errors, result.conflicts)
    return w


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def check_html(text: str) -> list[str]:
    problems = []
    for payload in (XSS, ATTRIBUTE, "<img src=x onerror"):
        if payload in text:
            problems.append(f"raw {payload!r}")
    return problems


def check_csv(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [f"CSV cell {cell!r}" for row in rows for cell in row if exports.is_dangerous(cell)]


def check_xlsx(data: bytes) -> list[str]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<(?:\w+:)?f[ >]", archive.read(name)):
                problems.append(f"formula element in {name}")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and exports.is_dangerous(cell.value):
                    if cell.data_type != "s":
                        problems.append(f"{ws.title}!{cell.coordinate} {cell.value!r} is not a text cell")
                    elif not cell.quotePrefix:
                        problems.append(f"{ws.title}!{cell.coordinate} {cell.value!r} has no quote prefix")
    return problems


def check_ics(data: bytes) -> list[str]:
    lines = data.decode().replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    problems = [f"injected line {line!r}" for line in lines if "ZQXINJECTED" in line and not line.startswith(("SUMMARY:Giao", "DESCRIPTION"))]
    if sum(line == "BEGIN:VEVENT" for line in lines) != sum(line == "END:VEVENT" for line in lines):
        problems.append("unbalanced VEVENT")
    return problems


def test_every_page_and_export_neutralises_hostile_text(client, hostile_world):
    fills = Fills(hostile_world)
    client.force_login(hostile_world.insider)
    problems, kinds = [], set()
    for route in page_routes():
        if route.is_admin:
            continue
        paths = page_requests(route, fills, max_queries=1)
        if route.name in ("reporting:export", "reporting:template_download"):
            code = hostile_world.period_codes[0]
            paths = [f"{p}?period={code}&format={fmt}" for p in paths for fmt in ("csv", "xlsx")]
        for path in paths:
            if path.split("?")[0].endswith((".docx", ".pdf")):
                continue  # Word documents are not parsed by anything that would run their text
            response = client.get(path)
            if response.status_code != 200:
                continue
            kind = response.get("Content-Type", "").split(";")[0]
            body = _body(response)
            if kind == "text/html":
                found = check_html(body.decode())
                if XSS.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;") in body.decode():
                    kinds.add("html-escaped")
            elif kind == "text/csv":
                found = check_csv(body)
            elif kind == exports.CONTENT_TYPES["xlsx"]:
                found = check_xlsx(body)
            elif kind == "text/calendar":
                found = check_ics(body)
            else:
                found = []
            kinds.add(kind)
            problems += [f"{path}: {p}" for p in found]
    assert not problems, "\n".join(problems)
    # The sweep did see each kind of output (or the checks above prove nothing).
    assert {"html-escaped", "text/csv", exports.CONTENT_TYPES["xlsx"], "text/calendar"} <= kinds, kinds


def test_the_csv_export_quotes_each_dangerous_comment(client, hostile_world):
    w = hostile_world
    client.force_login(w.insider)
    response = client.get(f"/bao-cao/excel/{w.org_a.pk}/xuat/?period={w.period_codes[0]}&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    comments = {row[6] for row in rows[1:]}
    for comment in COMMENTS:  # stored stripped (leading blanks go), shown with a leading quote
        assert f"'{comment.strip()}" in comments, (comment, comments)
    assert not check_csv(response.content)


def test_the_xlsx_export_and_the_template_keep_formulas_as_text(client, hostile_world):
    w = hostile_world
    client.force_login(w.insider)
    export = client.get(f"/bao-cao/excel/{w.org_a.pk}/xuat/?period={w.period_codes[0]}&format=xlsx")
    template = client.get(f"/bao-cao/excel/{w.org_a.pk}/mau.xlsx?period={w.period_codes[0]}")
    for response in (export, template):
        assert response.status_code == 200
        assert not check_xlsx(response.content)
        assert "ZQXLINK" not in response["Content-Disposition"] and "<" not in response["Content-Disposition"]
    values = [c.value for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    assert "=1+2" in values and "+SUM(1;2)" in values  # the comments are there, as text


def test_pages_show_the_payloads_escaped(client, hostile_world):
    w = hostile_world
    client.force_login(w.insider)
    for path in (f"/chuong-trinh/{w.draft_program.code}/", "/chuong-trinh/", f"/bao-cao/hoat-dong/{w.activity.pk}/",
                 f"/chuong-trinh/su-kien/{w.event.pk}/", f"/so-ket/{w.review.pk}/xem-truoc/", f"/to-chuc/{w.org_a.pk}/"):
        text = client.get(path).content.decode()
        assert not check_html(text), path
        assert "&lt;script&gt;alert(&#x27;ZQXXSS&#x27;)&lt;/script&gt;" in text, path
