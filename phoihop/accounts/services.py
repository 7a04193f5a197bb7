"""Writes of the accounts app: calendar feed tokens (issue and revoke), for the page, the admin
and anything else alike."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from phoihop.accounts.models import FeedToken, _hash
from phoihop.core.vietnamese import clean_line


@transaction.atomic
def issue_feed_token(user, label: str = "") -> tuple[FeedToken, str]:
    """A new feed token of `user`; returns it and its raw value (shown once, never stored)."""
    raw = FeedToken.PREFIX + secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        user=user, label=(clean_line(label) or "")[:100], prefix=raw[:10], key_hash=_hash(raw),
    )
    return token, raw


@transaction.atomic
def revoke_feed_token(token: FeedToken) -> FeedToken:
    """Revoke `token` (from now on its feed URLs answer 403). Revoking twice changes nothing."""
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
