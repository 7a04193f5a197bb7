from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """The read side: every figure shown in pages, documents, dashboards and the API
    (aggregation, the rollup and the results cache). See docs/adr/0006-read-side.md."""

    name = "phoihop.results"
    verbose_name = _("Kết quả thực hiện")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from phoihop.results import rollup

        post_migrate.connect(rollup.after_migrate, sender=self, dispatch_uid="results_rollup_triggers")
