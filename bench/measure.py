"""Timing, memory and machine facts."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import time
from pathlib import Path


def timed(fn, iterations: int, *, warmup: int = 1, before=None, after=None) -> dict:
    """Median (and min, max, every run) of `fn()` over `iterations` timed runs after `warmup`
    untimed ones. `before`/`after` run around each call, outside the timing (set-up, clean-up).
    The last call's return value is kept under "result"."""
    runs: list[float] = []
    result = None
    for n in range(warmup + iterations):
        if before:
            before()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        if after:
            after()
        if n >= warmup:
            runs.append(elapsed)
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": runs, "result": result}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far: VmHWM of /proc/self/status on Linux.
    (Not ru_maxrss: Linux carries the parent's high-water mark across fork and exec, so a child
    would report at least its parent's size.)"""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except OSError:  # not Linux
        return peak_rss_mb()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def _pg_client_version() -> str:
    try:
        out = subprocess.run(["psql", "--version"], capture_output=True, text=True, timeout=5).stdout.strip()
        return out.split()[-1] if out else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict:
    import sqlite3

    import django

    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "psql_client": _pg_client_version(),
    }


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []
