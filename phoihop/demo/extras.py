"""Demo loaders contributed by the apps beyond organisations and programs: each takes the dict
of demo organisations and must be idempotent."""

from phoihop.demo import almanac

LOADERS: list = [almanac.load]
