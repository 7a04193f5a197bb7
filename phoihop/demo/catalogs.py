"""The seeded catalogues (content areas, indicators, national commemorations), idempotent.

Migrations seed them; `ensure_catalogs()` seeds them again from the live models, so a database
that was emptied (a flush, a restore of only part of the data) gets them back unchanged.
"""


def ensure_catalogs() -> None:
    from phoihop.almanac.catalog import seed as seed_commemorations
    from phoihop.almanac.models import Commemoration
    from phoihop.programs.content_areas import CONTENT_AREAS
    from phoihop.programs.models import ContentArea
    from phoihop.reporting.catalog import seed as seed_indicators
    from phoihop.reporting.models import (
        Disaggregation,
        DisaggregationOption,
        Indicator,
        ValidationRule,
    )

    for order, (code, name) in enumerate(CONTENT_AREAS, start=1):
        area = ContentArea.objects.filter(code=code).first()
        if area is None:
            ContentArea.objects.create(code=code, name=name, order=order * 10)
    seed_indicators(Indicator, ContentArea, Disaggregation, DisaggregationOption, ValidationRule)
    seed_commemorations(Commemoration)
