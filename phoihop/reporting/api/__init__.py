"""Reporting API, one module per resource: data values, the catalogue (indicators and periods),
targets, activities, period reports and their approval (`GET /api/results` is the read side's:
phoihop/results/api.py).

Registered by phoihop/api/urls.py as `api.add_router("/", router)`; see docs/api-reporting.md.

The routers stay thin: they parse, call the service, serialise. Rules live in the services
(`services`, `bulk`, `activities`: saving values, validation, approval) and visibility in
`access` (the same helpers the pages use). Every write runs in one transaction and either lands
whole or not at all; bad input answers 422 with a Vietnamese message, never a 500.
"""

from ninja import Router

from phoihop.reporting.api import activities, catalog, datavalues, submissions, targets

router = Router()
for _module in (datavalues, catalog, targets, activities, submissions):
    router.add_router("", _module.router)
