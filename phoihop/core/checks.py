"""System checks of the project (registered by CoreConfig.ready)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from phoihop.core import secretkey


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    """`phoihop check --deploy` fails (an error, not a warning) on a placeholder or weak secret key."""
    reason = secretkey.weakness(getattr(settings, "SECRET_KEY", ""))
    if reason is None:
        return []
    return [checks.Error(f"{reason}.", hint=secretkey.HOW_TO_FIX, id="phoihop.E001")]
