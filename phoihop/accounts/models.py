from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.audit.recorder import audited


class Role(models.TextChoices):
    VIEWER = "viewer", _("Người xem")
    REPORTER = "reporter", _("Cán bộ báo cáo")
    APPROVER = "approver", _("Người duyệt")
    COMMITTEE_ADMIN = "committee_admin", _("Quản trị Ban chỉ đạo")


@audited
class Membership(models.Model):
    """A user acts for an organisation with one role. Roles are data; see permissions.ROLE_ACTIONS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("người dùng"),
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("tổ chức"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên tổ chức")
        verbose_name_plural = _("thành viên tổ chức")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="one_role_per_org")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _user_of(token):
    """The active user of a token found by its hash (or None); its last use noted, at most once a
    minute so that a busy client does not write on every request."""
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        raw = "ph_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], key_hash=_hash(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        return _user_of(cls.objects.filter(key_hash=_hash(raw), revoked=False).select_related("user").first())


@audited(exclude=("key_hash", "last_used_at"))
class FeedToken(models.Model):
    """A calendar feed token: read-only, for the iCalendar feeds of its user only (a calendar
    client cannot log in, so the token travels in the feed URL, `?feed=`). Never accepted by the
    API nor by pages; only its hash is stored, the raw value is shown once. Created and revoked
    by its user (`/tai-khoan/lich-rieng/`, through `accounts.services`) or revoked in the admin."""

    PREFIX = "phf_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens", verbose_name=_("người dùng"),
    )
    label = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    prefix = models.CharField(_("phần đầu"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã đường dẫn lịch")
        verbose_name_plural = _("mã đường dẫn lịch")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def authenticate(cls, raw: str):
        """The user whose active feed token `raw` is, or None (unknown, revoked, inactive user)."""
        if not raw.startswith(cls.PREFIX):
            return None
        return _user_of(cls.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True).select_related("user").first())
