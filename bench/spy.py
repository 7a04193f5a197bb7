"""Summaries of py-spy's collapsed stacks (`python -m bench run --only load --py-spy`)."""

from __future__ import annotations

import sys
from collections import Counter


def summary(path: str, top: int = 30) -> str:
    """Where the gunicorn workers spent their samples: inclusive share per project function
    (and the password hasher), busiest first."""
    inclusive: Counter = Counter()
    total = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            stack, _sep, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            seen = set()
            for frame in stack.split(";"):
                if "phoihop/" in frame or "hashers.py" in frame or "psycopg/connection" in frame:
                    name = frame.strip()
                    if name not in seen:
                        seen.add(name)
                        inclusive[name] += n
    lines = [f"{total} samples (idle workers included)"]
    lines += [f"{100 * n / max(total, 1):5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1]))
