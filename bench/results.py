"""Saved results (var/bench/results/<scale>-<engine>.json) and bench/RESULTS.md."""

from __future__ import annotations

import json
from pathlib import Path

from bench.dbs import ROOT, VAR

RESULTS_DIR = VAR / "results"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"


def save(record: dict, merge: bool = False, directory: Path = RESULTS_DIR) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{record['scale']}-{record['engine']}.json"
    if merge and path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        record = {**old, **record, "results": {**old.get("results", {}), **record["results"]},
                  "cases": sorted(set(old.get("cases", [])) | set(record["cases"])),
                  "runs": [*old.get("runs", [_summary(old)]), _summary(record)]}
    else:
        record["runs"] = [_summary(record)]
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def _summary(record: dict) -> dict:
    return {k: record.get(k) for k in ("started", "command", "cases", "loadavg_before", "loadavg_after", "seconds")}


def load_all(directory: Path = RESULTS_DIR) -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted(directory.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        out[(record["scale"], record["engine"])] = record
    return out


def render() -> Path:
    from bench.render import markdown

    RESULTS_MD.write_text(markdown(load_all()), encoding="utf-8")
    return RESULTS_MD
