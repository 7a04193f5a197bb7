"""The simulated users of the load benchmark (run by bench/load.py; never imported by tests,
because importing locust patches the standard library with gevent).

Reporters (4 in 5) log in once, then open their entry grid for an approved month, save values
in the open month (GET the form, POST it back, 302 expected) and now and then read a public
article. Leaders (1 in 5) log in, open the leader dashboard, a grid and an article. Think time
2–6 s (a busy clerk clicks every 20–60 s: one simulated user weighs like
several real ones). The plan (accounts, URLs) comes from the JSON file named by BENCH_LOAD_PLAN. The run is
bounded by locust's -t and by BENCH_MAX_REQUESTS (the runner stops when that many were sent).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "0"))
_reporters = itertools.cycle(PLAN["reporters"])
_sent = itertools.count(1)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VALUE = re.compile(r'name="(v-\d+:\d+)" value="([^"]*)"')
VERSION = re.compile(r'name="(ver-\d+:\d+)" value="(\d*)"')


_environment = None
STEADY_FILE = os.environ.get("BENCH_LOAD_STEADY", "")
_steady_since: list[float] = []  # set when every user has been started (the ramp-up is over)
_steady: list[tuple[str, float, bool]] = []  # (request, response time ms, failed) after that


@events.spawning_complete.add_listener
def _spawned(**_kwargs):
    _steady_since.append(time.time())


@events.request.add_listener
def _count(request_type="", name="", response_time=0.0, exception=None, **_kwargs):
    if _steady_since:
        _steady.append((f"{request_type} {name}", float(response_time or 0), exception is not None))
    if MAX_REQUESTS and next(_sent) >= MAX_REQUESTS:
        runner = _environment.runner if _environment else None
        if runner is not None:
            runner.quit()


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


@events.quitting.add_listener
def _write_steady(**_kwargs):
    """The requests finished after the ramp-up (all users started and logged in): per request
    name and in total, the same figures as locust's summary."""
    if not STEADY_FILE:
        return
    groups: dict[str, list[tuple[float, bool]]] = {}
    for name, ms, failed in _steady:
        groups.setdefault(name, []).append((ms, failed))
        groups.setdefault("TOTAL", []).append((ms, failed))
    figures = {
        name: {"requests": len(rows), "failures": sum(f for _ms, f in rows),
               **{key: _percentile([ms for ms, _f in rows], q) for key, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))},
               "max": round(max(ms for ms, _f in rows), 1)}
        for name, rows in groups.items()
    }
    with open(STEADY_FILE, "w", encoding="utf-8") as fh:
        json.dump({"since_start_s": round(_steady_since[0] - _started[0], 1) if _steady_since and _started else None,
                   "endpoints": figures}, fh)


_started: list[float] = []


@events.test_start.add_listener
def _test_started(**_kwargs):
    _started.append(time.time())


@events.init.add_listener
def _init(environment, **_kwargs):
    global _environment
    _environment = environment


class _User(FastHttpUser):
    abstract = True
    wait_time = between(2, 6)
    username = ""

    def login(self) -> None:
        with self.client.get("/tai-khoan/dang-nhap/", name="login (form)", catch_response=True) as page:
            token = CSRF.search(page.text or "")
            if not token:
                page.failure("no CSRF token on the login page")
                return
        with self.client.post(
            "/tai-khoan/dang-nhap/", name="login",
            data={"username": self.username, "password": PLAN["password"], "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.host + "/tai-khoan/dang-nhap/"}, allow_redirects=False, catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")

    def article(self) -> None:
        if PLAN["articles"]:
            self.client.get(random.choice(PLAN["articles"]), name="public article")


class Reporter(_User):
    weight = 4

    def on_start(self) -> None:
        account = next(_reporters)
        self.username, self.grid, self.form = account["username"], account["grid"], account["save"]
        self.login()

    @task(4)
    def open_grid(self) -> None:
        self.client.get(self.grid, name="grid")

    @task(2)
    def save(self) -> None:
        with self.client.get(self.form, name="grid (open month)", catch_response=True) as page:
            html = page.text or ""
            token = CSRF.search(html)
            if not token:
                page.failure("no form on the open month's grid")
                return
        data = {"csrfmiddlewaretoken": token.group(1), "action": "save"}
        values = VALUE.findall(html)
        data.update(dict(VERSION.findall(html)))
        for n, (name, old) in enumerate(values):
            # Change a few cells; send the others back as they were.
            data[name] = str(random.randint(1, 99)) if n % 5 == 0 or not old else old
            data["c-" + name[2:]] = ""
        with self.client.post(self.form, data=data, name="save", headers={"Referer": self.host + self.form},
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"save answered {answer.status_code}")

    @task(1)
    def read(self) -> None:
        self.article()


class Leader(_User):
    weight = 1

    def on_start(self) -> None:
        self.username = PLAN["leader"]
        self.login()

    @task(3)
    def dashboard(self) -> None:
        if PLAN["dashboard"]:
            self.client.get(PLAN["dashboard"], name="dashboard")
        else:
            self.client.get(PLAN["leader_grid"], name="grid")

    @task(1)
    def grid(self) -> None:
        self.client.get(PLAN["leader_grid"], name="grid")

    @task(1)
    def read(self) -> None:
        self.article()
