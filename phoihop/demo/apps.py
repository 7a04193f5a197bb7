from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management commands, loaddemo and demologins (nothing else imports it)."""

    name = "phoihop.demo"
