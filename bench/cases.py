"""The benchmarks that run inside one Django process (the bench database already set up).

Each case returns {name: entry}; an entry has `median` seconds (and `runs`), or `skipped` with the
reason. Floors are measured in the same run, on the same database, over the same rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from bench import scales as S
from bench.measure import timed


@dataclass
class Context:
    scale: S.Scale
    iterations: int
    out: object = print
    results: dict = field(default_factory=dict)

    def say(self, text: str) -> None:
        self.out(text)


def _strip(entry: dict) -> dict:
    entry = dict(entry)
    entry.pop("result", None)
    return entry


# ------------------------------------------------------------------ shared look-ups

def reviewed_program():
    from phoihop.programs.models import Program

    start, end = S.REVIEWED_PHASE
    return Program.objects.get(code__startswith="bench-", start=dt.date(start, 1, 1), end=dt.date(end, 12, 31))


def user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def client_for(username: str | None):
    from django.test import Client

    client = Client()
    if username:
        client.force_login(user(username))
    return client


# ------------------------------------------------------------------ aggregation and its floor

FLOOR_SQL = """
SELECT dv.organization_id, dv.indicator_id{year_col}, SUM(dv.value), COUNT(*), MAX(dv.value)
FROM {dv} dv
JOIN {period} p ON p.id = dv.period_id
JOIN {submission} s ON s.organization_id = dv.organization_id AND s.period_id = dv.period_id
WHERE s.status = 'approved'
  AND p.{end} >= %s AND p.{end} <= %s
  AND dv.value IS NOT NULL
  AND dv.organization_id IN (SELECT pp.organization_id FROM {party} pp WHERE pp.program_id IN ({programs}))
  AND dv.indicator_id IN (
      SELECT i.id FROM {indicator} i JOIN {areas} pca ON pca.contentarea_id = i.content_area_id
      WHERE pca.program_id = %s AND i.value_type <> 'text')
GROUP BY dv.organization_id, dv.indicator_id{year_group}
"""


def floor_sql(by_year: bool, n_programs: int) -> str:
    from django.db import connection

    from phoihop.programs.models import Program, ProgramParty
    from phoihop.reporting.models import DataValue, Indicator, Period, Submission

    q = connection.ops.quote_name
    if by_year:
        year = "EXTRACT(YEAR FROM p.\"end\")" if connection.vendor == "postgresql" else "CAST(strftime('%%Y', p.\"end\") AS INTEGER)"
        year_col, year_group = f", {year}", f", {year}"
    else:
        year_col = year_group = ""
    return FLOOR_SQL.format(
        dv=q(DataValue._meta.db_table), period=q(Period._meta.db_table), submission=q(Submission._meta.db_table),
        party=q(ProgramParty._meta.db_table), indicator=q(Indicator._meta.db_table),
        areas=q(Program.content_areas.through._meta.db_table), end=q("end"),
        programs=", ".join(["%s"] * n_programs), year_col=year_col, year_group=year_group,
    )


def floor(program_ids: list[int], areas_program_id: int, date_from, date_to, by_year=False) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(floor_sql(by_year, len(program_ids)), [date_from, date_to, *program_ids, areas_program_id])
        return cursor.fetchall()


def case_aggregation(ctx: Context) -> None:
    from phoihop.results import aggregation

    program = reviewed_program()
    start, end = program.start, program.end
    org_ids = list(program.parties.order_by("order", "id").values_list("organization_id", flat=True))
    indicators = aggregation.program_indicators(program)
    prev_programs, prev_from, prev_to = aggregation.previous_window(program, start, end)
    n = ctx.iterations
    ctx.say(f"  aggregation: {len(org_ids)} organisations × {len(indicators)} indicators, {start} → {end}")

    core = timed(lambda: aggregation.compute(program, org_ids, indicators, start, end), n)
    ctx.results["aggregation_compute"] = _strip(core) | {
        "what": "aggregation.compute(): the phase, every party × indicator (data + activities)",
    }
    floor_phase = timed(lambda: floor([program.pk], program.pk, start, end), n)
    ctx.results["aggregation_floor"] = _strip(floor_phase) | {
        "what": "hand-written SQL GROUP BY (organization, indicator) over the same rows", "groups": len(floor_phase["result"]),
    }
    full = timed(lambda: cold(lambda: aggregation.results([program.code], start, end)), n)
    ctx.results["aggregation_results"] = _strip(full) | {
        "what": "aggregation.results(), cold (its cache emptied first): phase + previous phase + targets → rows",
        "rows": len(full["result"]),
    }
    warm = timed(lambda: aggregation.results([program.code], start, end), n)
    ctx.results["aggregation_results_cached"] = _strip(warm) | {
        "what": "aggregation.results() again, nothing changed since: served from its cache (version tokens checked)",
    }
    both = timed(lambda: (floor([program.pk], program.pk, start, end),
                          floor([p.pk for p in prev_programs], program.pk, prev_from, prev_to)), n)
    ctx.results["aggregation_floor_both"] = _strip(both) | {
        "what": "the floor over both windows results() reads (the phase and the previous phase)",
    }
    by_year = timed(lambda: cold(lambda: aggregation.results([program.code], start, end, by_year=True)), n)
    ctx.results["aggregation_by_year"] = _strip(by_year) | {
        "what": "aggregation.results(by_year=True): each year and the year before", "rows": len(by_year["result"]),
    }
    first_prev = dt.date(start.year - 1, start.month, start.day)
    by_year_floor = timed(lambda: floor([program.pk], program.pk, first_prev, end, by_year=True), n)
    ctx.results["aggregation_by_year_floor"] = _strip(by_year_floor) | {
        "what": "GROUP BY (organization, indicator, year) over the years and the year before",
    }
    ctx.say(f"    compute {core['median']:.3f}s / floor {floor_phase['median']:.3f}s; results {full['median']:.3f}s "
            f"(cached {warm['median'] * 1000:.1f} ms) / "
            f"floor×2 {both['median']:.3f}s; by year {by_year['median']:.3f}s / {by_year_floor['median']:.3f}s")


# ------------------------------------------------------------------ the review report

def bench_review():
    from phoihop.reviews.models import Review

    return Review.objects.filter(items__program=reviewed_program()).order_by("id").first()


def case_report(ctx: Context) -> None:
    from phoihop.reviews import outputs

    review = bench_review()
    result = timed(lambda: cold(lambda: outputs.review_docx(review)), ctx.iterations)
    ctx.results["report_docx"] = _strip(result) | {
        "what": "reviews.outputs.review_docx(), cold (no cached figures): the tổng kết report of the phase, .docx bytes",
        "bytes": len(result["result"]),
    }
    warm = timed(lambda: outputs.review_docx(review), ctx.iterations)
    ctx.results["report_docx_cached"] = _strip(warm) | {
        "what": "the same report again, figures unchanged since (served from the results cache)",
    }
    ctx.say(f"  report .docx: {result['median']:.3f}s, cached figures {warm['median']:.3f}s ({len(result['result']):,} bytes)")


# ------------------------------------------------------------------ pages (server time through the test client)

def cold(work):
    """Run `work` with the results cache of this process emptied first (as after a write that
    changed the figures)."""
    from phoihop.results import aggregation

    aggregation.result_cache.clear()
    return work()


def _page(ctx: Context, key: str, username: str | None, url: str, what: str, *, empty_cache: bool = False) -> None:
    from django.urls import Resolver404, resolve

    try:
        resolve(url.split("?")[0])
    except Resolver404:
        ctx.results[key] = {"skipped": f"{url} is not served yet", "what": what}
        ctx.say(f"  {key}: skipped ({url} not served yet)")
        return
    client = client_for(username)
    status = {}

    def get():
        response = cold(lambda: client.get(url)) if empty_cache else client.get(url)
        status["code"] = response.status_code
        status["bytes"] = len(response.content)

    result = timed(get, max(ctx.iterations, 5) * 2 if ctx.iterations > 1 else 1)
    if status["code"] != 200:
        ctx.results[key] = {"skipped": f"{url} answered {status['code']}", "what": what}
        ctx.say(f"  {key}: {url} answered {status['code']}")
        return
    ctx.results[key] = _strip(result) | {"what": what, "url": url, "bytes": status["bytes"]}
    ctx.say(f"  {key}: {result['median'] * 1000:.1f} ms ({url})")


def reporter_org(username: str) -> int:
    from phoihop.accounts.models import Membership

    return Membership.objects.filter(user__username=username).values_list("organization_id", flat=True).first()


def root_org(key_prefix: str = "Ban Chỉ huy Quân sự") -> int:
    from phoihop.programs.models import ProgramParty

    return ProgramParty.objects.filter(program=reviewed_program(), order=0).values_list("organization_id", flat=True).first()


def last_approved_month() -> str:
    y, m = int(S.LAST_DATA_MONTH[:4]), int(S.LAST_DATA_MONTH[5:7])
    y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return f"{y}-{m:02d}"


def case_pages(ctx: Context) -> None:
    month = last_approved_month()
    commune = reporter_org("bench-r001")
    _page(ctx, "grid_commune", "bench-r001", f"/bao-cao/{commune}/{month}/",
          "entry grid of a commune body for an approved month (reporter)")
    _page(ctx, "grid_open", "bench-r001", f"/bao-cao/{commune}/{S.OPEN_MONTHS[0]}/",
          "entry grid of the same body for the open month (editable)")
    _page(ctx, "grid_root", "bench-thuongtruc", f"/bao-cao/{root_org()}/{month}/",
          "entry grid of the root military command (most indicators; standing office)")
    _page(ctx, "dashboard", "bench-lanhdao", "/bang-dieu-khien/lanh-dao/",
          "leader dashboard (viewer of the root Ban Dân vận), figures unchanged since the last view")
    _page(ctx, "dashboard_cold", "bench-lanhdao", "/bang-dieu-khien/lanh-dao/",
          "the same, cold: the first view after a change of the figures (results cache emptied)", empty_cache=True)
    from bench import news

    urls = news.public_urls(1)
    if urls:
        _page(ctx, "article", None, urls[0], "a public article (anonymous)")
    else:
        ctx.results["article"] = {"skipped": "no public article page yet (news app)", "what": "a public article (anonymous)"}


# ------------------------------------------------------------------ bulk import

def import_rows(limit: int, months: list[str]) -> list[dict]:
    """`limit` API rows: every cell of each organisation's profile, organisation by organisation,
    over `months` (no value exists there yet)."""
    from phoihop.organizations.models import Organization
    from phoihop.reporting.models import Indicator

    indicators = {i.code: i for i in Indicator.objects.select_related("disaggregation")}
    options = {code: [o.code for o in i.disaggregation.options.all()] if i.disaggregation_id else [None]
               for code, i in indicators.items()}
    program = reviewed_program()
    org_ids = list(program.parties.order_by("-order").values_list("organization_id", flat=True))
    kinds = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "kind"))
    rows: list[dict] = []
    n = 0
    for month in months:
        for org_id in org_ids:
            for code, _p, size in S.PROFILES[kinds[org_id]]:
                for option in options[code]:
                    n += 1
                    value = 55 if indicators[code].value_type == "percent" else size + n % 7
                    row = {"organization": org_id, "indicator": code, "period": month, "value": value}
                    if option:
                        row["disaggregation"] = option
                    rows.append(row)
                    if len(rows) >= limit:
                        return rows
    return rows


def _floor_tuples(rows: list[dict]) -> list[tuple]:
    from django.utils import timezone

    from phoihop.reporting.models import DisaggregationOption, Indicator
    from phoihop.reporting.services import get_period

    ind = dict(Indicator.objects.values_list("code", "pk"))
    opt = {(o.disaggregation_id, o.code): o.pk for o in DisaggregationOption.objects.all()}
    dis = dict(Indicator.objects.values_list("code", "disaggregation_id"))
    periods = {}
    now = timezone.now()
    out = []
    for r in rows:
        code = r["period"]
        if code not in periods:
            periods[code] = get_period(code).pk
        option = opt[(dis[r["indicator"]], r["disaggregation"])] if r.get("disaggregation") else None
        out.append((r["organization"], ind[r["indicator"]], periods[code], option, Decimal(r["value"]), "", "", 1, None, now, now))
    return out


FLOOR_INSERT = ("INSERT INTO {table} (organization_id, indicator_id, period_id, option_id, value, text_value, comment, "
                "version, updated_by_id, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def floor_insert(tuples: list[tuple]) -> None:
    """The floor of bulk import: one executemany of the same rows, committed."""
    from django.db import connection, transaction

    from phoihop.reporting.models import DataValue

    sql = FLOOR_INSERT.format(table=connection.ops.quote_name(DataValue._meta.db_table))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, tuples)


def audit_mark() -> int:
    from phoihop.audit.models import AuditEntry

    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def clear_year(year: int, mark: int | None = None) -> None:
    """Remove what an import benchmark wrote: the year's values and reports, and the audit
    entries written after `mark` (the benchmark's own; the bench database is disposable).
    Raw SQL: the ORM's delete() would write an audit entry per row."""
    from django.db import connection, transaction

    from phoihop.audit.models import AuditEntry
    from phoihop.reporting.models import DataValue, Period, Submission

    q = connection.ops.quote_name
    periods = list(Period.objects.filter(year=year).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        if periods:
            marks = ", ".join(["%s"] * len(periods))
            for model in (DataValue, Submission):
                cursor.execute(f"DELETE FROM {q(model._meta.db_table)} WHERE period_id IN ({marks})", periods)
        if mark is not None:
            cursor.execute(f"DELETE FROM {q(AuditEntry._meta.db_table)} WHERE id > %s", [mark])


def _import_year_writable(case):
    """The import benchmarks write into an empty future year (`S.IMPORT_YEAR`), further ahead than
    real reports may be entered (`PHOIHOP_ENTRY_HORIZON_DAYS`): the horizon is widened to it."""
    import functools

    @functools.wraps(case)
    def wrapped(ctx: Context) -> None:
        from django.test import override_settings
        from django.utils import timezone

        days = (dt.date(S.IMPORT_YEAR + 1, 1, 1) - timezone.localdate()).days  # as the horizon counts
        with override_settings(PHOIHOP_ENTRY_HORIZON_DAYS=max(days, 0)):
            case(ctx)

    return wrapped


@_import_year_writable
def case_import_api(ctx: Context) -> None:
    from django.test import Client

    from phoihop.accounts.models import ApiToken

    months = [f"{S.IMPORT_YEAR}-{m:02d}" for m in range(1, 13)]
    rows = import_rows(ctx.scale.import_rows, months)
    body = json.dumps(rows)
    token, raw = ApiToken.issue(user("bench-admin"), name="bench import")
    client = Client()
    answer = {}

    def post():
        response = client.post("/api/datavalues", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
        answer["status"], answer["body"] = response.status_code, response.content[:500]

    mark = audit_mark()
    clear_year(S.IMPORT_YEAR, mark)
    result = timed(post, ctx.iterations, warmup=1, after=lambda: clear_year(S.IMPORT_YEAR, mark))
    if answer["status"] != 200 or json.loads(answer["body"]).get("saved") != len(rows):
        raise RuntimeError(f"POST /api/datavalues answered {answer['status']}: {answer['body']!r}")
    tuples = _floor_tuples(rows)
    floor_result = timed(lambda: floor_insert(tuples), ctx.iterations, after=lambda: clear_year(S.IMPORT_YEAR, mark))
    ctx.results["import_api"] = _strip(result) | {
        "what": "POST /api/datavalues (bearer token), one batch, all new values", "rows": len(rows),
        "rows_per_s": len(rows) / result["median"],
    }
    ctx.results["import_floor"] = _strip(floor_result) | {
        "what": "raw executemany INSERT of the same rows in one transaction", "rows": len(rows),
        "rows_per_s": len(rows) / floor_result["median"],
    }
    ctx.say(f"  import API: {len(rows):,} rows in {result['median']:.2f}s = {len(rows) / result['median']:,.0f}/s; "
            f"floor {len(rows) / floor_result['median']:,.0f}/s")


def _filled_workbooks(count: int, period_code: str) -> tuple[list[bytes], int]:
    """Templates of `count` organisations for the period, every input cell filled in."""
    from openpyxl import load_workbook

    from phoihop.organizations.models import Organization
    from phoihop.reporting import excel
    from phoihop.reporting.services import get_period

    period = get_period(period_code)
    program = reviewed_program()
    org_ids = list(program.parties.order_by("order").values_list("organization_id", flat=True))
    # Alternate root bodies (many indicators) and commune bodies (fewer).
    picked = [org_ids[i] for i in range(0, len(org_ids), max(1, len(org_ids) // count))][:count]
    files, cells = [], 0
    for org in Organization.objects.filter(pk__in=picked):
        wb = load_workbook(io.BytesIO(excel.build_template(org, period)))
        meta = wb[excel.META_SHEET]
        sheet = wb[excel.DATA_SHEET]
        table = False
        for row in meta.iter_rows(values_only=True):
            if row and row[0] == excel.META_COLUMNS[0]:
                table = True
                continue
            if table and row and isinstance(row[0], int):
                sheet[f"{excel.VALUE_COL}{row[0]}"] = 7 + row[0] % 5
                cells += 1
        out = io.BytesIO()
        wb.save(out)
        files.append(out.getvalue())
    return files, cells


@_import_year_writable
def case_import_excel(ctx: Context) -> None:
    from phoihop.reporting import excel

    period_code = f"{S.IMPORT_YEAR}-06"
    mark = audit_mark()
    clear_year(S.IMPORT_YEAR, mark)
    files, cells = _filled_workbooks(ctx.scale.excel_files, period_code)
    clear_year(S.IMPORT_YEAR, mark)
    admin = user("bench-admin")
    saved = {}

    def run():
        total = 0
        for data in files:
            result = excel.import_workbook(data, admin)
            if not result.ok:
                raise RuntimeError("Excel import failed: " + "; ".join(str(p) for p in result.problems[:3]))
            total += result.saved
        saved["n"] = total

    result = timed(run, ctx.iterations, after=lambda: clear_year(S.IMPORT_YEAR, mark))
    # The floor: the same values as one executemany.
    from phoihop.reporting.models import DataValue

    run()
    tuples = [(v.organization_id, v.indicator_id, v.period_id, v.option_id, v.value, "", "", 1, None, v.created_at, v.updated_at)
              for v in DataValue.objects.filter(period__year=S.IMPORT_YEAR)]
    clear_year(S.IMPORT_YEAR, mark)
    floor_result = timed(lambda: floor_insert(tuples), ctx.iterations, after=lambda: clear_year(S.IMPORT_YEAR, mark))
    rows = saved["n"]
    ctx.results["import_excel"] = _strip(result) | {
        "what": f"excel.import_workbook() of {len(files)} filled-in templates (one organisation × month each)",
        "rows": rows, "files": len(files), "rows_per_s": rows / result["median"], "per_file_s": result["median"] / len(files),
    }
    ctx.results["import_excel_floor"] = _strip(floor_result) | {
        "what": "raw executemany INSERT of the same rows", "rows": len(tuples), "rows_per_s": len(tuples) / floor_result["median"],
    }
    ctx.say(f"  import Excel: {rows:,} rows in {len(files)} files, {result['median']:.2f}s = {rows / result['median']:,.0f}/s; "
            f"floor {len(tuples) / floor_result['median']:,.0f}/s")


CASES = {
    "aggregation": case_aggregation,
    "report": case_report,
    "pages": case_pages,
    "import_api": case_import_api,
    "import_excel": case_import_excel,
}
