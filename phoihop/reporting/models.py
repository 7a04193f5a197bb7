"""Indicators, targets, periods, activities and data values, with the approval workflow.

Figures of joint work are stored once, on the activity (`ActivityValue`), and credited to every
organisation that ran it; an organisation's own `DataValue`s never repeat them. Totals across
organisations therefore count a joint activity once (see phoihop/results/aggregation.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.audit.recorder import audited
from phoihop.audit.workflow import Workflow
from phoihop.core.models import BaseModel
from phoihop.organizations.models import AdministrativeUnit, Organization
from phoihop.programs.models import ContentArea, Program
from phoihop.reporting import periods


@audited
class Disaggregation(BaseModel):
    """A category that splits an indicator's value (sex, target group…)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)

    class Meta:
        verbose_name = _("phân tổ")
        verbose_name_plural = _("phân tổ")

    def __str__(self) -> str:
        return self.name


@audited
class DisaggregationOption(BaseModel):
    disaggregation = models.ForeignKey(Disaggregation, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nhóm phân tổ")
        verbose_name_plural = _("nhóm phân tổ")
        ordering = ["disaggregation", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["disaggregation", "code"], name="option_code_once")]

    def __str__(self) -> str:
        return self.name


@audited
class Indicator(BaseModel):
    class ValueType(models.TextChoices):
        INTEGER = "integer", _("Số nguyên")
        DECIMAL = "decimal", _("Số thập phân")
        MONEY = "money", _("Tiền (triệu đồng)")
        PERCENT = "percent", _("Tỷ lệ %")
        BOOLEAN = "boolean", _("Có/không")
        TEXT = "text", _("Văn bản")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng dồn")
        AVERAGE = "average", _("Trung bình")
        LAST = "last", _("Giá trị kỳ cuối")
        MAX = "max", _("Lớn nhất")
        RATIO = "ratio", _("Tỷ lệ của hai chỉ số")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    value_type = models.CharField(_("kiểu giá trị"), max_length=10, choices=ValueType.choices, default=ValueType.INTEGER)
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("nội dung phối hợp"))
    aggregation = models.CharField(_("cách tổng hợp"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    numerator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tử số"))
    denominator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("mẫu số"))
    ratio_scale = models.PositiveIntegerField(_("hệ số tỷ lệ"), default=100)
    disaggregation = models.ForeignKey(Disaggregation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("phân tổ"))
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=18, decimal_places=2, null=True, blank=True, default=Decimal(0))
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=18, decimal_places=2, null=True, blank=True)
    required = models.BooleanField(_("bắt buộc nhập"), default=False)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=100)
    search_text = models.CharField(max_length=500, blank=True, editable=False, db_index=True)

    search_fields = ("code", "name")

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["content_area__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def is_computed(self) -> bool:
        return self.aggregation == self.Aggregation.RATIO

    @property
    def is_numeric(self) -> bool:
        return self.value_type not in (self.ValueType.TEXT,)

    def clean(self) -> None:
        if self.aggregation == self.Aggregation.RATIO and not (self.numerator_id and self.denominator_id):
            raise ValidationError(_("Chỉ số tỷ lệ cần có chỉ số tử số và mẫu số."))
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("Giá trị lớn nhất phải lớn hơn hoặc bằng giá trị nhỏ nhất.")})


@audited
class ValidationRule(BaseModel):
    class Operator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "==", "="
        GE = ">=", "≥"
        GT = ">", ">"

    class Severity(models.TextChoices):
        ERROR = "error", _("Lỗi (không cho gửi)")
        WARNING = "warning", _("Cảnh báo")

    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("chỉ số vế trái"))
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("chỉ số vế phải"))
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField(_("thông báo"), max_length=300)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")

    def __str__(self) -> str:
        return f"{self.left.code} {self.operator} {self.right.code}"

    def holds(self, left: Decimal, right: Decimal) -> bool:
        return {
            "<=": left <= right, "<": left < right, "==": left == right,
            ">=": left >= right, ">": left > right,
        }[self.operator]


@audited
class Target(BaseModel):
    """What `indicator` should reach for `program` (per year, or the whole phase when year is empty),
    for one organisation or, when organisation is empty, for the program as a whole."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets", verbose_name=_("chương trình"))
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="targets", verbose_name=_("tổ chức"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ số"))
    year = models.PositiveIntegerField(_("năm"), null=True, blank=True)
    value = models.DecimalField(_("chỉ tiêu"), max_digits=18, decimal_places=2)
    is_draft = models.BooleanField(
        _("dự thảo, chờ rà soát"), default=False,
        help_text=_("Chỉ tiêu chép từ chương trình trước, chờ cơ quan thường trực rà soát."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        # One target per cell; partial constraints because SQLite has no NULLS NOT DISTINCT.
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "indicator", "year"], name="one_target",
                condition=models.Q(organization__isnull=False, year__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["program", "indicator", "year"], name="one_program_target",
                condition=models.Q(organization__isnull=True, year__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["program", "organization", "indicator"], name="one_phase_target",
                condition=models.Q(organization__isnull=False, year__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["program", "indicator"], name="one_program_phase_target",
                condition=models.Q(organization__isnull=True, year__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year or 'giai đoạn'}: {self.value}"


@audited
class Period(BaseModel):
    """A reporting period under a convention (Decree 09 windows, or calendar)."""

    class Type(models.TextChoices):
        MONTH = periods.MONTH, _("Tháng")
        QUARTER = periods.QUARTER, _("Quý")
        HALF = periods.HALF, _("6 tháng")
        NINE_MONTHS = periods.NINE_MONTHS, _("9 tháng")
        YEAR = periods.YEAR, _("Năm")
        PHASE = periods.PHASE, _("Giai đoạn")

    class Convention(models.TextChoices):
        DECREE_09 = periods.DECREE_09, _("Theo Nghị định 09/2019/NĐ-CP (15 → 14)")
        CALENDAR = periods.CALENDAR, _("Theo tháng dương lịch")

    convention = models.CharField(_("cách chốt số liệu"), max_length=10, choices=Convention.choices, default=Convention.DECREE_09)
    type = models.CharField(_("loại kỳ"), max_length=12, choices=Type.choices)
    code = models.CharField(_("mã kỳ"), max_length=40)
    label = models.CharField(_("tên kỳ"), max_length=100)
    year = models.PositiveIntegerField(_("năm"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    closes_on = models.DateField(_("khóa nhập liệu sau ngày"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["start", "type"]
        constraints = [models.UniqueConstraint(fields=["convention", "code"], name="period_code_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The period's name in the reader's language, from its code ("December 2026"); `label`
        keeps the Vietnamese text stored when the period was created."""
        return periods.display_label(self.code, self.label)

    def is_closed(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    CONFIRMED = "confirmed", _("Đơn vị đã xác nhận, chờ cơ quan thường trực duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


REOPENED = "reopened"  # a step, not a state: recorded as such, written as draft


def _submission_fields(submission: Submission, new_status: str, note: str) -> dict:
    """What a move writes besides the status: when it was sent or approved, the return reason."""
    now = timezone.now()
    fields: dict = {"updated_at": now}
    if new_status == SubmissionStatus.SUBMITTED:
        fields["submitted_at"] = now
    elif new_status == SubmissionStatus.APPROVED:
        fields["approved_at"] = now
    elif new_status == SubmissionStatus.RETURNED:
        fields["return_reason"] = note
    return fields


@audited
class Submission(BaseModel):
    """One organisation's report for one period: the unit of submission, approval and locking."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("tổ chức"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("kỳ báo cáo"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("người gửi"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    reopened_until = models.DateField(_("mở lại nhập liệu đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo kỳ")
        verbose_name_plural = _("báo cáo kỳ")
        constraints = [models.UniqueConstraint(fields=["organization", "period"], name="one_submission")]

    # The moves of reporting.services (submit, confirm, approve, return_for_changes, reopen), each
    # through `workflow.move`; the standing office may reopen a report in any state. A program with
    # two levels goes submitted → confirmed (the organisation's own approver) → approved (the
    # standing office); with one level submitted → approved (services.approval_decision).
    workflow = Workflow(
        SubmissionStatus,
        {
            SubmissionStatus.DRAFT: {SubmissionStatus.SUBMITTED, REOPENED},
            SubmissionStatus.RETURNED: {SubmissionStatus.SUBMITTED, REOPENED},
            SubmissionStatus.SUBMITTED: {SubmissionStatus.CONFIRMED, SubmissionStatus.APPROVED, SubmissionStatus.RETURNED, REOPENED},
            SubmissionStatus.CONFIRMED: {SubmissionStatus.APPROVED, SubmissionStatus.RETURNED, REOPENED},
            SubmissionStatus.APPROVED: {REOPENED},
        },
        steps={REOPENED: (SubmissionStatus.DRAFT, _("Mở lại"))},
        side_fields=_submission_fields,
    )

    def __str__(self) -> str:
        return f"{self.organization} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED, SubmissionStatus.APPROVED)

    def entry_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.is_locked:
            return False
        if not self.period.is_closed(today):
            return True
        return self.reopened_until is not None and today <= self.reopened_until


@audited(exclude=("updated_by",))
class DataValue(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="data_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="data_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="data_values")
    option = models.ForeignKey(DisaggregationOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    text_value = models.TextField(blank=True)
    comment = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "period", "option"], name="one_value_per_cell",
                condition=models.Q(option__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organization", "indicator", "period"], name="one_total_value_per_cell",
                condition=models.Q(option__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["period", "organization"])]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.indicator_id}/{self.period_id}: {self.value}"


@audited
class Plan(BaseModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plans", verbose_name=_("chương trình"))
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="one_plan_per_year")]

    def __str__(self) -> str:
        return self.title


@audited
class Activity(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Kế hoạch")
        DONE = "done", _("Đã thực hiện")
        CANCELLED = "cancelled", _("Hủy")

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("kế hoạch"))
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("chương trình"))
    title = models.CharField(_("tên hoạt động"), max_length=400)
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("nội dung phối hợp"))
    lead_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="led_activities", verbose_name=_("đơn vị chủ trì"))
    co_organizers = models.ManyToManyField(Organization, blank=True, related_name="joint_activities", verbose_name=_("đơn vị phối hợp"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DONE)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    place = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("địa bàn"))
    place_text = models.CharField(_("địa điểm"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("số người tham gia"), null=True, blank=True)
    funds_spent = models.DecimalField(_("kinh phí chi (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True)
    funds_mobilised = models.DecimalField(_("kinh phí vận động (triệu đồng)"), max_digits=14, decimal_places=2, null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False, db_index=True)

    search_fields = ("title",)

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["-start_date", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")})

    def credited_organization_ids(self) -> set[int]:
        return {self.lead_organization_id} | set(self.co_organizers.values_list("id", flat=True))

    @property
    def is_joint(self) -> bool:
        return self.co_organizers.exists()


@audited
class ActivityValue(BaseModel):
    """A figure produced by an activity: stored once, credited to every organisation that ran it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="activity_values")
    value = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("số liệu của hoạt động")
        verbose_name_plural = _("số liệu của hoạt động")
        constraints = [models.UniqueConstraint(fields=["activity", "indicator"], name="one_value_per_activity")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.indicator_id}: {self.value}"


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.activity_id}/{filename}"


@audited
class Attachment(BaseModel):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.caption or self.file.name
