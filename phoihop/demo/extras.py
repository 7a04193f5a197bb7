"""Demo loaders contributed by the apps beyond organisations and programs: each takes the dict
of demo organisations and must be idempotent. A loader that accepts `figures=` is told whether
to add the invented figures (`loaddemo --no-figures` skips them)."""

from phoihop.demo import almanac, news, reporting, reviews

# Order matters: the review signs the 2019–2023 program; the article is written from those events.
LOADERS: list = [almanac.load, reporting.load, reviews.load, news.load]
