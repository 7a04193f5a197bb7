"""Demo loaders contributed by the apps beyond organisations and programs: each takes the dict
of demo organisations and must be idempotent. A loader that accepts `figures=` is told whether
to add the invented figures (`loaddemo --no-figures` skips them)."""

from phoihop.demo import almanac, reporting, reviews

LOADERS: list = [almanac.load, reporting.load, reviews.load]
