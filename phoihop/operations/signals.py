"""Login, failed login and logout → LoginEvent (django.contrib.auth signals)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from phoihop.core.net import client_ip, digest_of, network_of


def _record(kind: str, request, username: str, user=None) -> None:
    from phoihop.operations.models import LoginEvent

    ip = client_ip(request)
    meta = getattr(request, "META", {}) or {}
    LoginEvent.objects.create(
        kind=kind,
        success=kind in (LoginEvent.Kind.LOGIN, LoginEvent.Kind.LOGOUT),
        username=(username or "")[:150],
        user=user if getattr(user, "pk", None) else None,
        network=network_of(ip),
        address_digest=digest_of(ip),
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:200],
        path=(getattr(request, "path", "") or "")[:200],
    )


def on_login(sender, request, user, **kwargs) -> None:
    _record("login", request, user.get_username(), user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or (credentials or {}).get("username") or ""
    # django-axes' receiver runs first (its app is listed earlier) and flags a locked-out request.
    kind = "locked" if getattr(request, "axes_locked_out", False) else "failed"
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first() if username else None
    _record(kind, request, str(username), user)


def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    _record("logout", request, user.get_username(), user)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="operations_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="operations_login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="operations_logout")
