"""Pre-aggregation (derived): not domain data and not audited.

Every row is recomputed from reporting's DataValue, Period and Submission (see
phoihop/results/rollup.py and docs/aggregation.md). Database triggers on reporting's tables
record which (organisation, period) cells changed; the next read recomputes them.

The tables keep the names they had when these models lived in `reporting` (`reporting_rollup`,
`reporting_rollupdirty`, `reporting_rollupversion`): the triggers write to them by name and the
move to this app changed Django's state only (docs/adr/0006-read-side.md).
"""

from django.db import models


class Rollup(models.Model):
    """An organisation's figures for one indicator, period type and year (of the period's end),
    split by whether the organisation's report for the period is approved."""

    organization_id = models.BigIntegerField()
    indicator_id = models.BigIntegerField()
    period_type = models.CharField(max_length=12)
    year = models.PositiveIntegerField()
    approved = models.BooleanField()
    total = models.DecimalField(max_digits=24, decimal_places=2)
    count = models.PositiveIntegerField()  # periods with a value
    top = models.DecimalField(max_digits=24, decimal_places=2)  # the largest period value
    last_end = models.DateField()  # the latest period's end
    last_value = models.DecimalField(max_digits=24, decimal_places=2)

    class Meta:
        db_table = "reporting_rollup"
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "indicator_id", "period_type", "year", "approved"], name="one_rollup_row",
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator_id"], name="rollup_year_indicator")]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.indicator_id}/{self.period_type}/{self.year}: {self.total}"


class RollupDirty(models.Model):
    """An (organisation, period) whose values or approval changed since the rollup was computed."""

    organization_id = models.BigIntegerField()
    period_id = models.BigIntegerField()

    class Meta:
        db_table = "reporting_rollupdirty"

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.period_id}"


class RollupVersion(models.Model):
    """A random token replaced whenever the figures of its kind change: "approved" (approved rollup
    rows), "draft" (the others), "other" (activities, targets, programs, indicators, names…).
    `aggregation.results()` keys its in-process cache on them; a token is never reused, so a
    rolled-back change cannot make an old cache entry look current."""

    name = models.CharField(max_length=20, unique=True)
    token = models.CharField(max_length=32)

    class Meta:
        db_table = "reporting_rollupversion"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
