"""Peak memory (RSS) of the report and of the aggregation, each in a fresh process.

`python -m bench run` starts `python -m bench memory --op report|aggregation` per operation, so
the peak belongs to that operation alone (the modules are imported and Django is set up before
the baseline is taken; ru_maxrss after the operation is the peak).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.dbs import ROOT
from bench.measure import current_rss_mb, peak_rss_mb

OPS = ("aggregation", "report")


def probe(op: str) -> dict:
    """Run `op` once in this process; baseline and peak RSS in MB."""
    import phoihop.documents.charts  # noqa: F401  (matplotlib: imported before the baseline)
    from bench import cases
    from phoihop.results import aggregation
    from phoihop.reviews import outputs

    program = cases.reviewed_program()
    review = cases.bench_review() if op == "report" else None
    baseline = current_rss_mb()
    peak_before = peak_rss_mb()
    if op == "report":
        size = len(outputs.review_docx(review))
        detail = {"bytes": size}
    else:
        rows = aggregation.results([program.code], program.start, program.end)
        detail = {"rows": len(rows)}
        del rows
    return {"op": op, "baseline_mb": round(baseline, 1), "peak_mb": round(max(peak_rss_mb(), peak_before), 1),
            "delta_mb": round(peak_rss_mb() - baseline, 1), **detail}


def measure(op: str, database_url: str) -> dict:
    """`probe(op)` in a child process against `database_url`."""
    env = {**os.environ, "PHOIHOP_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "bench", "memory", "--op", op, "--database-url", database_url],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe {op} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
