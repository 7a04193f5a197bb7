from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "phoihop.reporting"
    verbose_name = _("Báo cáo số liệu")

    def ready(self) -> None:
        from phoihop.almanac.focus import register_focus_provider
        from phoihop.almanac.reminders import register_reminder_provider
        from phoihop.programs.signals import program_succeeded
        from phoihop.reporting import calendar_hooks, successors

        register_focus_provider(calendar_hooks.deadline_items)
        register_focus_provider(calendar_hooks.planned_activity_items)
        register_reminder_provider(calendar_hooks.deadline_reminders)
        program_succeeded.connect(successors.copy_targets, dispatch_uid="reporting.copy_targets")
