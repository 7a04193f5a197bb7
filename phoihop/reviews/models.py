"""Reviews (sơ kết / tổng kết): the programs reviewed with their own periods, the parties'
contributions, the compiled narrative sections and the issued report."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.audit.recorder import audited
from phoihop.audit.workflow import Workflow
from phoihop.core.models import BaseModel
from phoihop.organizations.models import Organization, Person
from phoihop.programs.models import Event, Program, SteeringCommittee


class Section(models.TextChoices):
    SITUATION = "situation", _("I. Đặc điểm, tình hình")
    RESULTS = "results", _("II. Kết quả thực hiện (nhận xét chung)")
    SHORTCOMINGS = "shortcomings", _("III. Hạn chế, khuyết điểm và nguyên nhân")
    LESSONS = "lessons", _("IV. Bài học kinh nghiệm")
    DIRECTIONS = "directions", _("V. Phương hướng, nhiệm vụ")
    PROPOSALS = "proposals", _("VI. Đề xuất, kiến nghị")


class ReviewStatus(models.TextChoices):
    PREPARING = "preparing", _("Đang chuẩn bị")
    HELD = "held", _("Đã tổ chức")
    ISSUED = "issued", _("Đã ban hành báo cáo")


@audited
class Review(BaseModel):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Sơ kết")
        FINAL = "final", _("Tổng kết")
        YEARLY = "yearly", _("Sơ kết năm")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.INTERIM)
    title = models.CharField(_("tiêu đề"), max_length=500)
    date = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa danh ghi trên văn bản"), max_length=100, default="Bắc Ninh",
                             help_text=_("Ví dụ “Bắc Ninh” trong dòng “Bắc Ninh, ngày 09 tháng 7 năm 2019”."))
    committee = models.ForeignKey(SteeringCommittee, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews",
                                  verbose_name=_("ban chỉ đạo"))
    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="organized_reviews", verbose_name=_("cơ quan tổ chức"))
    chair = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chủ trì"))
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews", verbose_name=_("sự kiện"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PREPARING)
    contribution_deadline = models.DateField(_("hạn gửi ý kiến"), null=True, blank=True)
    include_unapproved = models.BooleanField(_("bản nháp có số liệu chưa duyệt"), default=False)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    workflow = Workflow(
        ReviewStatus,
        {ReviewStatus.PREPARING: {ReviewStatus.HELD}, ReviewStatus.HELD: {ReviewStatus.ISSUED}, ReviewStatus.ISSUED: set()},
        refused=lambda a, b: _("Không thể chuyển trạng thái hội nghị từ “%(a)s” sang “%(b)s”.") % {"a": a, "b": b},
    )

    class Meta:
        verbose_name = _("hội nghị sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def related_organization_ids(self) -> set[int]:
        ids = {self.organizer_id}
        for item in self.items.select_related("program"):
            ids |= item.program.related_organization_ids()
        ids |= set(self.issuers.values_list("organization_id", flat=True))
        return ids


@audited
class ReviewItem(BaseModel):
    """A program reviewed, with its own period (e.g. 2016–2019 and 2013–2019 in one meeting)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="review_items", verbose_name=_("chương trình"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chương trình được sơ kết")
        verbose_name_plural = _("chương trình được sơ kết")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "program"], name="program_once_per_review")]

    def __str__(self) -> str:
        return f"{self.program.code} ({self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y})"


@audited
class ReviewIssuer(BaseModel):
    """An issuing body of the report (several for a joint report, signing side by side)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="issuers")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    signer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người ký"))
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True, help_text=_("Ví dụ: TM. BAN THƯỜNG VỤ, KT. CHỈ HUY TRƯỞNG"))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.organization)


@audited
class Contribution(BaseModel):
    """A party's text for one section of the report."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="contributions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức"))
    section = models.CharField(_("phần"), max_length=20, choices=Section.choices)
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("ý kiến đóng góp")
        verbose_name_plural = _("ý kiến đóng góp")
        constraints = [models.UniqueConstraint(fields=["review", "organization", "section"], name="one_contribution_per_section")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_section_display()}"


@audited
class Narrative(BaseModel):
    """The compiled, edited text of one section (its history is the audit log)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(_("phần"), max_length=20, choices=Section.choices)
    text = models.TextField(_("nội dung"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")
        constraints = [models.UniqueConstraint(fields=["review", "section"], name="one_narrative_per_section")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.get_section_display()}"


def report_path(instance, filename: str) -> str:
    return f"reviews/{instance.review_id}/{filename}"


@audited
class IssuedReport(BaseModel):
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="issued_report")
    docx = models.FileField(upload_to=report_path)
    pdf = models.FileField(upload_to=report_path, blank=True)

    class Meta:
        verbose_name = _("báo cáo đã ban hành")
        verbose_name_plural = _("báo cáo đã ban hành")

    def __str__(self) -> str:
        return str(self.review)
