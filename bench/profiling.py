"""`python -m bench profile --case …`: a pyinstrument profile of one benchmark case.

The text goes to stdout and, with an HTML copy, to var/bench/profiles/<case>-<scale>-<engine>.*.
For gunicorn workers under load use py-spy instead (see bench/README.md).
"""

from __future__ import annotations

from bench import cases, dbs
from bench import scales as S


def profile(case: str, scale_name: str) -> str:
    from django.db import connection
    from pyinstrument import Profiler

    scale = S.SCALES[scale_name]
    ctx = cases.Context(scale, 1, out=lambda text: None)
    if case == "grid":
        def work():
            cases.case_pages(ctx)
    else:
        fn = cases.CASES[case]

        def work():
            fn(ctx)

    work()  # warm caches first, like the timed runs
    profiler = Profiler(interval=0.001)
    profiler.start()
    work()
    profiler.stop()
    folder = dbs.VAR / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{case}-{scale_name}-{'postgres' if connection.vendor == 'postgresql' else 'sqlite'}"
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")
    return text
