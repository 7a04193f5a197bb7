"""Commemorations (ngày kỷ niệm, ngày truyền thống), year themes and political resolutions,
and the record of reminders already sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phoihop.almanac import lunar
from phoihop.audit.recorder import audited
from phoihop.core.formatting import doc_date
from phoihop.core.models import BaseModel


class CalendarKind(models.TextChoices):
    SOLAR = "solar", _("Dương lịch")
    LUNAR = "lunar", _("Âm lịch")


class Scope(models.TextChoices):
    NATIONAL = "national", _("Toàn quốc")
    LOCAL = "local", _("Địa phương, đơn vị")


@audited
class Commemoration(BaseModel):
    """A day that comes back every year: its origin (day, month, year if known) and its basis."""

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên ngày kỷ niệm"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    calendar = models.CharField(
        _("theo lịch"), max_length=10, choices=CalendarKind.choices, default=CalendarKind.SOLAR
    )
    day = models.PositiveSmallIntegerField(_("ngày"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    origin_year = models.PositiveSmallIntegerField(
        _("năm gốc"), null=True, blank=True,
        help_text=_("Để trống nếu không xác định được năm (ví dụ Giỗ Tổ Hùng Vương)."),
    )
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tổ chức"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="commemorations",
    )
    administrative_unit = models.ForeignKey(
        "organizations.AdministrativeUnit", verbose_name=_("địa bàn"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commemorations",
    )
    source = models.TextField(_("căn cứ"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=600, blank=True, editable=False, db_index=True)

    search_fields = ("name", "short_name")

    class Meta:
        verbose_name = _("ngày kỷ niệm")
        verbose_name_plural = _("ngày kỷ niệm")
        ordering = ["month", "day", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=31) & Q(month__gte=1, month__lte=12),
                name="commemoration_day_month_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope="national", organization__isnull=True, administrative_unit__isnull=True)
                    | (Q(scope="local") & (Q(organization__isnull=False) | Q(administrative_unit__isnull=False)))
                ),
                name="commemoration_scope_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_lunar(self) -> bool:
        return self.calendar == CalendarKind.LUNAR

    @property
    def day_month_label(self) -> str:
        """'27/7', '03/02', '10/3 âm lịch'."""
        month = f"{self.month:02d}" if self.month <= 2 else str(self.month)
        label = f"{self.day:02d}/{month}"
        return f"{label} {_('âm lịch')}" if self.is_lunar else label

    @property
    def origin_date(self) -> dt.date | None:
        """The solar date of the origin, when the year is known."""
        if self.origin_year is None:
            return None
        if self.is_lunar:
            return lunar.to_solar(self.day, self.month, self.origin_year)
        return dt.date(self.origin_year, self.month, self.day)

    @property
    def origin_label(self) -> str:
        """How the origin is written: '27/7/1947', '10/3 âm lịch'."""
        if self.origin_year is None:
            return self.day_month_label
        if self.is_lunar:
            return f"{self.day}/{self.month}/{self.origin_year} {_('âm lịch')}"
        return doc_date(self.origin_date)

    def occurrence_in(self, year: int) -> dt.date | None:
        """The solar date on which the day falls in `year` (solar year for solar days, lunar year
        for lunar days). 29/02 falls on 28/02 in common years; a lunar 30th falls on the 29th in
        a short month. None when the date is outside the calendar's range."""
        if self.is_lunar:
            try:
                month = lunar.lunar_month(year, self.month)
            except lunar.LunarError:
                return None
            day = min(self.day, month.length)
            result = lunar.jd_to_date(month.start + day - 1)
            return result if lunar.MIN_DATE <= result <= lunar.MAX_DATE else None
        day = self.day
        if self.month == 2 and day == 29 and not _is_leap_year(year):
            day = 28
        return dt.date(year, self.month, day)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope == Scope.NATIONAL and (self.organization_id or self.administrative_unit_id):
            errors["scope"] = _("Ngày kỷ niệm toàn quốc không gắn với tổ chức hay địa bàn.")
        if self.scope == Scope.LOCAL and not (self.organization_id or self.administrative_unit_id):
            errors["organization"] = _("Ngày kỷ niệm của địa phương, đơn vị phải gắn với một tổ chức hoặc địa bàn.")
        if not self.day or not self.month:
            errors["day"] = _("Phải nhập ngày và tháng.")
        elif not (1 <= self.month <= 12):
            errors["month"] = _("Tháng phải từ 1 đến 12.")
        elif self.is_lunar:
            if not (1 <= self.day <= 30):
                errors["day"] = _("Ngày âm lịch phải từ 1 đến 30.")
            elif self.origin_year is not None:
                try:
                    lunar.to_solar(self.day, self.month, self.origin_year)
                except lunar.LunarError as exc:
                    errors["day"] = str(exc)
        else:
            year = self.origin_year or 2000  # a leap year: 29/02 without a year is allowed
            try:
                dt.date(year, self.month, self.day)
            except ValueError:
                errors["day"] = _("Ngày %(day)02d/%(month)02d/%(year)s không tồn tại.") % {
                    "day": self.day, "month": self.month, "year": self.origin_year or "",
                }
        if self.origin_year is not None and not (1 <= self.origin_year <= lunar.MAX_YEAR):
            errors["origin_year"] = _("Năm gốc không hợp lệ.")
        if errors:
            raise ValidationError(errors)


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@audited
class YearTheme(BaseModel):
    """"Chủ đề công tác năm" of an organisation or of an administrative unit."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tổ chức"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="year_themes",
    )
    administrative_unit = models.ForeignKey(
        "organizations.AdministrativeUnit", verbose_name=_("địa bàn"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="year_themes",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    theme = models.TextField(_("chủ đề công tác năm"), blank=True)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    class Meta:
        verbose_name = _("chủ đề công tác năm")
        verbose_name_plural = _("chủ đề công tác năm")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, administrative_unit__isnull=True)
                    | Q(organization__isnull=True, administrative_unit__isnull=False)
                ),
                name="year_theme_one_owner",
            ),
            models.UniqueConstraint(
                fields=["organization", "year"], condition=Q(organization__isnull=False),
                name="year_theme_once_per_org",
            ),
            models.UniqueConstraint(
                fields=["administrative_unit", "year"], condition=Q(administrative_unit__isnull=False),
                name="year_theme_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.year}"

    @property
    def owner(self):
        return self.organization or self.administrative_unit

    def clean(self) -> None:
        if bool(self.organization_id) == bool(self.administrative_unit_id):
            raise ValidationError(_("Chọn đúng một trong hai: tổ chức hoặc địa bàn."))
        if not (1900 <= (self.year or 0) <= 2100):
            raise ValidationError({"year": _("Năm phải từ 1900 đến 2100.")})
        duplicate = YearTheme.objects.filter(
            organization_id=self.organization_id, administrative_unit_id=self.administrative_unit_id,
            year=self.year,
        ).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"year": _("Đã có chủ đề công tác của năm này; hãy sửa chủ đề đó.")})


@audited
class PoliticalResolution(BaseModel):
    """One numbered "quyết tâm chính trị" adopted for the year."""

    theme = models.ForeignKey(
        YearTheme, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("chủ đề năm")
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("quyết tâm chính trị")
        verbose_name_plural = _("quyết tâm chính trị")
        ordering = ["theme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="resolution_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class SentReminder(models.Model):
    """A reminder claimed (and then sent) once: the unique `key` makes a rerun a no-op."""

    key = models.CharField(max_length=255, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("nhắc việc đã gửi")
        verbose_name_plural = _("nhắc việc đã gửi")

    def __str__(self) -> str:
        return self.key
