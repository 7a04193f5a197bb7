"""Demo loaders contributed by later apps: each takes the dict of demo organisations."""

LOADERS: list = []
