"""The benchmarks never rot: each one runs once at a tiny scale ("smoke", ~5 000 values).

Nothing here is timed or compared with a target — speed is checked by `python -m bench run`,
never by unit tests. The in-process benchmarks run in the pytest-django test database (SQLite or
PostgreSQL, whichever the suite uses); the HTTP load benchmark needs a server process, so it runs
`python -m bench run --only load` for a few seconds against a throw-away SQLite file.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_in_process_benchmark_runs_once_at_smoke_scale():
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()
    from bench import cases, generator, memory, render
    from bench.scales import SCALES

    counts = generator.generate("smoke", seed=1, out=lambda text: None)
    assert counts["DataValue"] > 2000
    assert counts["Organization"] == 17 and counts["Review"] == 1
    assert generator.already_generated() == "benchgen:smoke:1"

    ctx = cases.Context(SCALES["smoke"], iterations=1, out=lambda text: None)
    for case in cases.CASES.values():
        case(ctx)
    results = ctx.results
    for key in ("aggregation_compute", "aggregation_floor", "aggregation_results", "aggregation_floor_both",
                "aggregation_by_year", "report_docx", "grid_commune", "grid_open", "grid_root",
                "import_api", "import_floor", "import_excel", "import_excel_floor"):
        assert results[key]["median"] > 0, key
    for key in ("dashboard", "article"):  # pages of apps still being built may be absent
        assert "median" in results[key] or "skipped" in results[key]
    assert results["aggregation_floor"]["groups"] > 0
    assert results["import_api"]["rows"] == SCALES["smoke"].import_rows
    assert results["import_excel"]["rows"] > 0
    probe = memory.probe("report")
    assert probe["peak_mb"] >= probe["baseline_mb"] > 0
    record = {"scale": "city", "engine": "sqlite", "database": "SQLite", "command": "python -m bench run …",
              "started": "2026-01-01 00:00:00", "seconds": 1, "loadavg_before": [0], "loadavg_after": [0],
              "iterations": 1, "machine": {"cpu": "x", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11",
                                           "django": "5.2", "sqlite": "3"}, "data": {}, "results": results}
    text = render.markdown({("city", "sqlite"): record})
    assert "## Targets" in text and "aggregation_compute" in text


@pytest.mark.skipif(not (importlib.util.find_spec("locust") and importlib.util.find_spec("gunicorn")),
                    reason="the load benchmark needs locust and gunicorn (pip install -e '.[bench]')")
def test_the_load_benchmark_runs_for_a_few_seconds(tmp_path):
    database = tmp_path / "smoke.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("PHOIHOP_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PHOIHOP_BENCH_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bench", "run", "--scale", "smoke", "--database-url", f"sqlite:///{database}",
         "--only", "load", "--users", "2", "--duration", "3", "--max-requests", "200"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=150,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    record = json.loads((tmp_path / "results" / "smoke-sqlite.json").read_text(encoding="utf-8"))
    total = record["results"]["load"]["endpoints"]["TOTAL"]
    assert total["requests"] > 0
    assert total["failures"] == 0, record["results"]["load"]["failures"]
