from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginEvent(models.Model):
    """One login, failed login, lockout or logout. Append-only; pruned after
    PHOIHOP_LOGIN_LOG_DAYS (`phoihop prune-logins`). The address is kept only as its network
    (/24, IPv6 /48) and a keyed digest of the full address (see docs/security.md)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        FAILED = "failed", _("Đăng nhập không thành công")
        LOCKED = "locked", _("Bị chặn tạm thời")
        LOGOUT = "logout", _("Đăng xuất")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    kind = models.CharField(_("sự kiện"), max_length=10, choices=Kind.choices)
    success = models.BooleanField(_("thành công"))
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    network = models.CharField(_("dải địa chỉ"), max_length=50, blank=True)
    address_digest = models.CharField(_("mã địa chỉ"), max_length=20, blank=True, db_index=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=200, blank=True)
    path = models.CharField(_("trang"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lượt đăng nhập")
        verbose_name_plural = _("nhật ký đăng nhập")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.username}"
