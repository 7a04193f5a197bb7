"""bench/RESULTS.md from the saved results (python -m bench report)."""

from __future__ import annotations

import datetime as dt

SCALES = ["city", "province", "nation"]
ENGINES = ["sqlite", "postgres"]
ENGINE_NAME = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _n(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _get(record: dict | None, key: str) -> dict | None:
    if not record:
        return None
    entry = record.get("results", {}).get(key)
    return entry if entry and "skipped" not in entry else None


def _median(record, key):
    entry = _get(record, key)
    return entry["median"] if entry else None


def _ratio(record, key, floor_key) -> float | None:
    a, b = _median(record, key), _median(record, floor_key)
    return a / b if a and b else None


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✅" if ok else " ❌")


def _targets(records: dict) -> list[str]:
    """The summary table: every target, per database, at province scale (nation for memory)."""
    lines = ["| Target (issue 7) | " + " | ".join(f"{ENGINE_NAME[e]} city | {ENGINE_NAME[e]} province" for e in ENGINES) + " |",
             "|---|" + "---|" * (2 * len(ENGINES))]

    def row(label, fn):
        cells = []
        for engine in ENGINES:
            for scale in ("city", "province"):
                text, ok = fn(records.get((scale, engine)), scale)
                cells.append(text + (_mark(ok) if scale == "province" else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def aggregation(r, scale):
        t, ratio = _median(r, "aggregation_compute"), _ratio(r, "aggregation_compute", "aggregation_floor")
        if t is None:
            return "—", None
        return f"{_s(t)}, {ratio:.2f}× floor", (t < 1 and ratio <= 1.5)

    def results_row(r, scale):
        t, ratio = _median(r, "aggregation_results"), _ratio(r, "aggregation_results", "aggregation_floor_both")
        if t is None:
            return "—", None
        return f"{_s(t)}, {ratio:.2f}× floor", (t < 1 and ratio <= 1.5)

    def report(r, scale):
        t, warm = _median(r, "report_docx"), _median(r, "report_docx_cached")
        if t is None:
            return "—", None
        return _s(t) + (f" (cached figures {_s(warm)})" if warm is not None else ""), t < 3

    def bulk(r, scale):
        e, f = _get(r, "import_api"), _get(r, "import_floor")
        if not e or not f:
            return "—", None
        ratio = e["median"] / f["median"]
        return f"{e['rows_per_s']:,.0f}/s, {ratio:.1f}× floor", (e["rows_per_s"] >= 20_000 and ratio <= 3)

    def excel(r, scale):
        e, f = _get(r, "import_excel"), _get(r, "import_excel_floor")
        if not e or not f:
            return "—", None
        ratio = e["median"] / f["median"]
        return f"{e['rows_per_s']:,.0f}/s, {ratio:.0f}× floor", (e["rows_per_s"] >= 20_000 and ratio <= 3)

    def page(key):
        def fn(r, scale):
            t = _median(r, key)
            if t is None:
                entry = (r or {}).get("results", {}).get(key) or {}
                return ("n/a: " + entry["skipped"]) if "skipped" in entry else "—", None
            return _s(t), t < 0.150
        return fn

    def load(r, scale):
        entry = (r or {}).get("results", {}).get("load")
        if not entry:
            return "—", None
        total = entry["endpoints"].get("TOTAL", {})
        errors = total.get("failures", 0)
        text = f"whole run p95 {total.get('p95'):.0f} ms, {errors} errors"
        steady = ((entry.get("steady") or {}).get("endpoints") or {}).get("TOTAL")
        if not steady:
            return text, (total.get("p95", 1e9) < 300 and errors == 0)
        text += f"; after the ramp-up p95 {steady['p95']:.0f} ms, {steady['failures']} errors"
        return text, (steady["p95"] < 300 and steady["failures"] == 0 and errors == 0)

    row("Aggregation of the phase, `compute()` vs floor (≤ 1.5×, < 1 s)", aggregation)
    row("`results()` (phase + previous phase + targets) vs floor over both windows", results_row)
    row("Review report .docx (< 3 s)", report)
    row("Bulk import `POST /api/datavalues` (≥ 20 000/s, ≤ 3× floor)", bulk)
    row("Excel import (same target)", excel)
    row("Entry grid, commune body (< 150 ms)", page("grid_commune"))
    row("Entry grid, root body (< 150 ms)", page("grid_root"))
    row("Leader dashboard (< 150 ms), figures unchanged since the last view", page("dashboard"))
    row("Leader dashboard, first view after a change (cold)", page("dashboard_cold"))
    row("HTTP load, 50 users (p95 < 300 ms, 0 errors; ✅ judged after the ramp-up, 50 logins in 25 s)", load)
    nation = records.get(("nation", "postgres"))
    mem = _get(nation, "memory_report")
    if mem:
        lines.append("")
        lines.append(f"Nation scale, PostgreSQL: peak RSS of the review report **{mem['peak_mb']:.0f} MB** "
                     f"(target < 500 MB){_mark(mem['peak_mb'] < 500)}; aggregation "
                     f"{(_get(nation, 'memory_aggregation') or {}).get('peak_mb', '—')} MB.")
    return lines


def _detail(record: dict) -> list[str]:
    r = record["results"]
    data = record.get("data", {})
    lines = [
        f"### {record['scale'].capitalize()} — {record['database']}",
        "",
        f"`{record['command']}` — {record['started']}, {record['seconds']:.0f} s; load average before "
        f"{record['loadavg_before']}, after {record['loadavg_after']}; {record['iterations']} timed runs per benchmark "
        "(median; min–max) after one untimed warm-up.",
        "",
        f"Data: {_n(data.get('organisations'))} organisations ({_n(data.get('parties_of_reviewed_program'))} parties of the "
        f"reviewed program), {_n(data.get('data_values'))} data values, {_n(data.get('reports'))} reports, "
        f"{_n(data.get('targets'))} targets, {_n(data.get('activities'))} activities.",
        "",
        "| Benchmark | What | Median | Min – max | Floor ratio / rate |",
        "|---|---|---|---|---|",
    ]
    floors = {"aggregation_compute": "aggregation_floor", "aggregation_results": "aggregation_floor_both",
              "aggregation_results_cached": "aggregation_floor_both",
              "aggregation_by_year": "aggregation_by_year_floor", "import_api": "import_floor",
              "import_excel": "import_excel_floor"}
    order = ["aggregation_compute", "aggregation_floor", "aggregation_results", "aggregation_results_cached",
             "aggregation_floor_both", "aggregation_by_year", "aggregation_by_year_floor", "report_docx", "report_docx_cached",
             "grid_commune", "grid_open", "grid_root", "dashboard", "dashboard_cold", "article",
             "import_api", "import_floor", "import_excel", "import_excel_floor"]
    for key in order:
        entry = r.get(key)
        if entry is None:
            continue
        if "skipped" in entry:
            lines.append(f"| {key} | {entry.get('what', '')} | n/a | | {entry['skipped']} |")
            continue
        extra = ""
        if key in floors and r.get(floors[key], {}).get("median"):
            extra = f"{entry['median'] / r[floors[key]]['median']:.2f}× floor"
        if "rows_per_s" in entry:
            extra = (extra + "; " if extra else "") + f"{entry['rows_per_s']:,.0f} rows/s ({entry['rows']:,} rows)"
        if "rows" in entry and "rows_per_s" not in entry:
            extra = (extra + "; " if extra else "") + f"{entry['rows']:,} result rows"
        if "groups" in entry:
            extra = f"{entry['groups']:,} groups"
        if "bytes" in entry and key == "report_docx":
            extra = f"{entry['bytes']:,} bytes"
        lines.append(f"| {key} | {entry.get('what', '')} | {_s(entry['median'])} | {_s(entry['min'])} – {_s(entry['max'])} | {extra} |")
    for op in ("aggregation", "report"):
        mem = r.get(f"memory_{op}")
        if mem:
            lines.append(f"| memory_{op} | peak RSS of a fresh process running the {op} once | {mem['peak_mb']:.0f} MB | "
                         f"baseline {mem['baseline_mb']:.0f} MB | +{mem['delta_mb']:.0f} MB over the baseline |")
    load = r.get("load")
    if load:
        lines += ["", f"HTTP under load: gunicorn {load['workers']} workers, {load['users']} locust users (think time "
                      f"{load['think_time_s'][0]}–{load['think_time_s'][1]} s, spawn {load['spawn_rate']}/s), {load['duration_s']} s; "
                      f"dashboard {'served' if load['dashboard'] else 'not served yet'}, {load['articles']} public articles; "
                      f"PHOIHOP_DB_CONN_MAX_AGE={load['conn_max_age']}.",
                  "", "| Request | Count | Failures | p50 | p95 | p99 | max | req/s |", "|---|---|---|---|---|---|---|---|"]
        for name, e in load["endpoints"].items():
            lines.append(f"| {name} | {e['requests']:,} | {e['failures']} | {_n(e['p50'])} ms | {_n(e['p95'])} ms | "
                         f"{_n(e['p99'])} ms | {_n(e['max'])} ms | {e['rps']} |")
        for failure in load.get("failures", [])[:10]:
            lines.append(f"| ⚠ {failure['request']} | {failure['count']} | {failure['error']} | | | | | |")
        steady = load.get("steady") or {}
        if steady.get("endpoints"):
            lines += ["", f"After the ramp-up (requests finished once all {load['users']} users had started, "
                          f"{_n(steady.get('since_start_s'))} s into the run; the logins are all before):", "",
                      "| Request | Count | Failures | p50 | p95 | p99 | max |", "|---|---|---|---|---|---|---|"]
            for name, e in sorted(steady["endpoints"].items(), key=lambda kv: (kv[0] == "TOTAL", kv[0])):
                lines.append(f"| {name} | {e['requests']:,} | {e['failures']} | {_n(e['p50'])} ms | {_n(e['p95'])} ms | "
                             f"{_n(e['p99'])} ms | {_n(e['max'])} ms |")
    return lines + [""]


def _details(records: dict) -> list[str]:
    lines = []
    for scale in SCALES:
        for engine in ENGINES:
            record = records.get((scale, engine))
            if record:
                lines += _detail(record)
    return lines


def markdown(records: dict) -> str:
    if not records:
        return "# Benchmark results\n\nNo results yet: run `python -m bench report --all`.\n"
    latest = max(records.values(), key=lambda r: r["started"])
    m = latest["machine"]
    dbs = sorted({r["database"] for r in records.values()})
    lines = [
        "# Benchmark results",
        "",
        "Regenerate everything with **`python -m bench report --all`** (runs every benchmark at city and province "
        "scale on SQLite and PostgreSQL and the nation scale on PostgreSQL, then rewrites this file); "
        "`python -m bench report` only re-renders it from `var/bench/results/*.json`. What each number means: "
        "bench/README.md.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, Django {m['django']}, "
        f"SQLite {m['sqlite']}, {', '.join(d for d in dbs if d.startswith('PostgreSQL'))}. "
        f"Rendered {dt.datetime.now():%Y-%m-%d %H:%M}. Other engineers' test suites ran on the same 2 cores at times; "
        "each section gives its load average.",
        "",
        "## Targets",
        "",
        *_targets(records),
        "",
        "## Every figure",
        "",
    ]
    lines += _details(records)
    return "\n".join(lines) + "\n"
