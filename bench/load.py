"""HTTP under load: gunicorn (2 workers) on loopback, locust (headless) with simulated users.

Both run as child processes of `python -m bench run`, against the bench database; locust's own
latency numbers (client side, so they include the loopback and the client) are kept per request
name and in total: p50/p95/p99, requests, failures.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import scales as S
from bench.dbs import ROOT

THINK_TIME = [2, 6]  # seconds between two requests of a simulated user (bench/locustfile.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plan(users: int) -> dict:
    """Accounts and URLs for the simulated users (from the bench database)."""
    from bench import cases, news
    from bench.generator import PASSWORD
    from phoihop.accounts.models import Membership

    month = cases.last_approved_month()
    reporters = []
    for username, org in (Membership.objects.filter(user__username__startswith="bench-r", role="reporter")
                          .order_by("user__username").values_list("user__username", "organization_id")[:users]):
        reporters.append({"username": username, "grid": f"/bao-cao/{org}/{month}/", "save": f"/bao-cao/{org}/{S.OPEN_MONTHS[0]}/"})
    leader_org = Membership.objects.filter(user__username="bench-lanhdao").values_list("organization_id", flat=True).first()
    dashboard = "/bang-dieu-khien/lanh-dao/"
    from django.urls import Resolver404, resolve

    try:
        resolve(dashboard)
    except Resolver404:
        dashboard = None
    return {
        "password": PASSWORD, "reporters": reporters, "leader": "bench-lanhdao", "dashboard": dashboard,
        "leader_grid": f"/bao-cao/{leader_org}/{month}/", "articles": news.public_urls(),
    }


def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/tai-khoan/dang-nhap/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ms(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parse_stats(prefix: str) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
            rows[name] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]), "p95": _ms(row["95%"]), "p99": _ms(row["99%"]),
                "max": _ms(row["Max Response Time"]), "rps": round(float(row["Requests/s"] or 0), 1),
            }
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            failures = [{"request": f"{r['Method']} {r['Name']}", "error": r["Error"][:200], "count": int(r["Occurrences"])}
                        for r in csv.DictReader(fh)]
    return {"endpoints": rows, "failures": failures}


def run_load(database_url: str, *, users: int = S.LOAD_USERS, duration: int = 90, spawn_rate: float = 2,
             max_requests: int = 0, workers: int = 2, out=print, profile: str | None = None) -> dict:
    """Start gunicorn on a free loopback port, run locust against it, stop both; the stats."""
    work = Path(tempfile.mkdtemp(prefix="phoihop-load-"))
    plan_path = work / "plan.json"
    load_plan = plan(users)
    plan_path.write_text(json.dumps(load_plan, ensure_ascii=False), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PHOIHOP_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "phoihop.wsgi:application", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning", "--error-logfile", str(work / "gunicorn.log")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(base, server)
        prefix = str(work / "locust")
        command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                   "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{duration}s",
                   "--host", base, "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
                   "--exit-code-on-error", "0"]
        steady_path = work / "steady.json"
        locust_env = {**env, "BENCH_LOAD_PLAN": str(plan_path), "BENCH_MAX_REQUESTS": str(max_requests),
                      "BENCH_LOAD_STEADY": str(steady_path)}
        out(f"  load: {users} users, {duration}s, gunicorn {workers} workers on {base}")
        started = time.monotonic()
        spy = None
        if profile:  # py-spy on the gunicorn master and its workers, for the whole run
            spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.pid), "--subprocesses",
                                    "--format", "raw", "--output", profile, "--duration", str(duration), "--rate", "50",
                                    "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done = subprocess.run(command, cwd=ROOT, env=locust_env, capture_output=True, text=True, timeout=duration + 120)
        if spy is not None:
            spy.wait(timeout=60)
        elapsed = time.monotonic() - started
        if done.returncode != 0 or not Path(f"{prefix}_stats.csv").exists():
            raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
        stats = parse_stats(prefix)
        stats["steady"] = json.loads(steady_path.read_text(encoding="utf-8")) if steady_path.exists() else None
    finally:
        _stop(server)
    total = stats["endpoints"].get("TOTAL", {})
    out(f"    {total.get('requests', 0)} requests, {total.get('failures', 0)} failures, "
        f"p50 {total.get('p50')} ms, p95 {total.get('p95')} ms, p99 {total.get('p99')} ms")
    steady = ((stats.get("steady") or {}).get("endpoints") or {}).get("TOTAL")
    if steady:
        out(f"    after the ramp-up: {steady['requests']} requests, {steady['failures']} failures, "
            f"p50 {steady['p50']} ms, p95 {steady['p95']} ms, p99 {steady['p99']} ms")
    return {
        "users": users, "duration_s": duration, "wall_s": round(elapsed, 1), "spawn_rate": spawn_rate, "workers": workers,
        "conn_max_age": os.environ.get("PHOIHOP_DB_CONN_MAX_AGE", "0"), "think_time_s": THINK_TIME,
        "dashboard": bool(load_plan["dashboard"]), "articles": len(load_plan["articles"]),
        **stats,
    }
