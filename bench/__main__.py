"""`python -m bench …`: the benchmark suite of Phối Hợp (see bench/README.md).

    python -m bench run --scale city|province|nation [--db sqlite|postgres] [--database-url URL]
                        [--regenerate] [--seed N] [--iterations N] [--only CASES] [--skip CASES]
    python -m bench report [--all]        # render bench/RESULTS.md (--all: run everything first)
    python -m bench gen --scale … [--db …] # only make the database
    python -m bench profile --case aggregation|report|import_api|grid --scale … [--db …]
    python -m bench memory --op report|aggregation --database-url URL   (used by run)
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time

from bench import dbs
from bench import scales as S

ALL_CASES = ["aggregation", "report", "pages", "import_api", "import_excel", "memory", "load"]


def _connect(args) -> str:
    url = dbs.database_url(args.scale, args.db, args.database_url)
    if dbs.engine_of(url) == "sqlite" and args.scale == "nation":
        sys.exit("The nation scale (~10 M values) runs on PostgreSQL only: --db postgres.")
    dbs.prepare(url, regenerate=getattr(args, "regenerate", False))
    dbs.setup_django(url)
    dbs.migrate()
    return url


def _ensure_data(args, out) -> dict:
    from bench import generator

    existing = generator.already_generated()
    wanted = f"{generator.MARK}:{args.scale}:{args.seed}"
    if existing and existing != wanted:
        sys.exit(f"The database holds {existing}, not {wanted}: use --regenerate.")
    if existing:
        return {}
    if generator.foreign_data():
        sys.exit("The database holds other data; the benchmarks need a database of their own.")
    out(f"Generating {args.scale} data (seed {args.seed}) …")
    started = time.perf_counter()
    counts = generator.generate(args.scale, args.seed, out=out)
    generator.print_counts(counts, out)
    return {"rows": dict(counts), "seconds": round(time.perf_counter() - started, 1)}


def data_counts() -> dict:
    from phoihop.organizations.models import Organization
    from phoihop.programs.models import ProgramParty
    from phoihop.reporting.models import Activity, DataValue, Submission, Target

    return {
        "organisations": Organization.objects.count(), "data_values": DataValue.objects.count(),
        "reports": Submission.objects.count(), "targets": Target.objects.count(), "activities": Activity.objects.count(),
        "parties_of_reviewed_program": ProgramParty.objects.filter(program__code__endswith="-2021-2025").count(),
    }


def cmd_run(args) -> int:
    out = lambda text: print(text, flush=True)  # noqa: E731
    url = _connect(args)
    generated = _ensure_data(args, out)
    from bench import cases, measure
    from bench.results import save

    scale = S.SCALES[args.scale]
    only = [c for c in (args.only.split(",") if args.only else ALL_CASES) if c]
    skip = set(args.skip.split(",")) if args.skip else set()
    wanted = [c for c in ALL_CASES if c in only and c not in skip]
    ctx = cases.Context(scale, args.iterations or scale.iterations, out)
    engine = dbs.engine_of(url)
    out(f"Benchmarks at {args.scale} scale on {dbs.server_version()} ({ctx.iterations} timed runs each): {', '.join(wanted)}")
    started = time.time()
    load_before = measure.loadavg()
    for case in wanted:
        dbs.settle()
        case_started = time.perf_counter()
        if case == "memory":
            from bench import memory

            for op in memory.OPS:
                ctx.results[f"memory_{op}"] = memory.measure(op, url)
                out(f"  peak RSS {op}: {ctx.results[f'memory_{op}']['peak_mb']} MB")
        elif case == "load":
            from bench.load import run_load

            profile = None
            if args.py_spy:
                (dbs.VAR / "profiles").mkdir(parents=True, exist_ok=True)
                profile = str(dbs.VAR / "profiles" / f"load-{args.scale}-{engine}.txt")
            ctx.results["load"] = run_load(url, users=args.users, duration=args.duration, max_requests=args.max_requests, out=out,
                                           profile=profile)
        else:
            cases.CASES[case](ctx)
        out(f"  ({case}: {time.perf_counter() - case_started:.0f} s)")
    record = {
        "scale": args.scale, "engine": engine, "database": dbs.server_version(), "seed": args.seed,
        "iterations": ctx.iterations, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "seconds": round(time.time() - started, 1), "loadavg_before": load_before, "loadavg_after": measure.loadavg(),
        "machine": measure.machine(), "command": "python -m bench " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        "data": data_counts(), "generated": generated, "cases": wanted, "results": ctx.results,
    }
    if args.label:
        record["label"] = args.label
    from pathlib import Path

    path = save(record, merge=bool(args.only or args.skip), **({"directory": Path(args.results_dir)} if args.results_dir else {}))
    out(f"Saved {path}")
    return 0


def cmd_gen(args) -> int:
    _connect(args)
    _ensure_data(args, lambda text: print(text, flush=True))
    return 0


def cmd_memory(args) -> int:
    dbs.setup_django(args.database_url)
    from bench.memory import probe

    print(json.dumps(probe(args.op)))
    return 0


def cmd_profile(args) -> int:
    from bench.profiling import profile

    _connect(args)
    _ensure_data(args, lambda text: print(text, flush=True))
    print(profile(args.case, args.scale))
    return 0


MATRIX = [("city", "sqlite"), ("city", "postgres"), ("province", "sqlite"), ("province", "postgres")]


def cmd_report(args) -> int:
    from bench.results import render

    if args.all:
        for scale, db in MATRIX:
            _child(["run", "--scale", scale, "--db", db])
        _child(["run", "--scale", "nation", "--db", "postgres", "--only", "aggregation,report,memory"])
    path = render()
    print(f"Wrote {path}")
    return 0


def _child(argv: list[str]) -> None:
    print(f"== python -m bench {' '.join(argv)}", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PHOIHOP_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    subprocess.run([sys.executable, "-m", "bench", *argv], cwd=dbs.ROOT, env=env, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks of Phối Hợp (bench/README.md)")
    sub = parser.add_subparsers(dest="command", required=True)

    def db_args(p):
        p.add_argument("--scale", required=True, choices=list(S.SCALES))
        p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
        p.add_argument("--database-url", help="use this database instead of the default bench one")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--regenerate", action="store_true", help="drop the bench database and make it again")

    run = sub.add_parser("run", help="generate if missing, then measure")
    db_args(run)
    run.add_argument("--iterations", type=int, help="timed runs per benchmark (default per scale)")
    run.add_argument("--only", help="comma-separated: " + ",".join(ALL_CASES))
    run.add_argument("--skip", help="comma-separated cases to leave out")
    run.add_argument("--users", type=int, default=S.LOAD_USERS)
    run.add_argument("--duration", type=int, default=90, help="seconds of load (spawning 2 users/s included)")
    run.add_argument("--max-requests", type=int, default=20_000, help="stop the load after this many requests")
    run.add_argument("--py-spy", action="store_true", help="record the gunicorn workers with py-spy during the load "
                                                           "(var/bench/profiles/load-<scale>-<db>.txt, collapsed stacks)")
    run.add_argument("--results-dir", help="save the results there instead of var/bench/results "
                                           "(e.g. a run from a tree with changes being tried; not rendered)")
    run.add_argument("--label", help="a note saved with the results (e.g. which changes were tried)")
    run.set_defaults(func=cmd_run)

    gen = sub.add_parser("gen", help="only make the bench database")
    db_args(gen)
    gen.set_defaults(func=cmd_gen)

    prof = sub.add_parser("profile", help="pyinstrument profile of one case")
    db_args(prof)
    prof.add_argument("--case", required=True, choices=["aggregation", "report", "import_api", "import_excel", "grid"])
    prof.set_defaults(func=cmd_profile)

    mem = sub.add_parser("memory", help=argparse.SUPPRESS)
    mem.add_argument("--op", required=True, choices=["report", "aggregation"])
    mem.add_argument("--database-url", required=True)
    mem.set_defaults(func=cmd_memory)

    rep = sub.add_parser("report", help="render bench/RESULTS.md from the saved results")
    rep.add_argument("--all", action="store_true", help="first run every benchmark at city and province on both "
                                                        "databases and the nation memory on PostgreSQL")
    rep.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
