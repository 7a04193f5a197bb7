"""Programs (and standing regulations), their parties, content areas and responsibilities,
steering committees and the events where programs are signed and reviewed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phoihop.audit.recorder import audited
from phoihop.audit.workflow import Workflow
from phoihop.core.models import BaseModel, Validity, ValidityQuerySet
from phoihop.organizations.models import Organization, Person


@audited
class ContentArea(BaseModel):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=250)
    order = models.PositiveIntegerField(_("thứ tự"), default=100)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký kết")
    IN_FORCE = "in_force", _("Đang thực hiện")
    ENDED = "ended", _("Đã kết thúc")


@audited
class Program(BaseModel):
    class Kind(models.TextChoices):
        PROGRAM = "program", pgettext_lazy("program kind", "Chương trình phối hợp")
        REGULATION = "regulation", _("Quy chế phối hợp")

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    title = models.CharField(_("tên chương trình"), max_length=500)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.PROGRAM)
    start = models.DateField(_("bắt đầu giai đoạn"))
    end = models.DateField(_("kết thúc giai đoạn"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    signing_date = models.DateField(_("ngày ký"), null=True, blank=True)
    period_convention = models.CharField(
        _("cách chốt số liệu"), max_length=10, default="decree09",
        choices=[("decree09", _("Theo Nghị định 09/2019/NĐ-CP (15 → 14)")), ("calendar", _("Theo tháng dương lịch"))],
    )
    purpose = models.TextField(_("mục đích, yêu cầu"), blank=True)
    meeting_cadence = models.CharField(_("chế độ giao ban"), max_length=300, blank=True)
    review_schedule = models.CharField(_("chế độ sơ kết, tổng kết"), max_length=300, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors",
        verbose_name=_("chương trình trước"),
    )
    content_areas = models.ManyToManyField(ContentArea, blank=True, related_name="programs", verbose_name=_("nội dung phối hợp"))
    self_approval_allowed = models.BooleanField(
        _("cho phép tự duyệt báo cáo"), default=False,
        help_text=_("Bỏ chọn (mặc định): người gửi báo cáo không được tự duyệt báo cáo đó (phân tách nhiệm vụ)."),
    )
    two_level_approval = models.BooleanField(
        _("báo cáo qua hai cấp duyệt"), default=False,
        help_text=_("Chọn: báo cáo của mỗi bên phải được người duyệt của chính đơn vị đó xác nhận trước khi "
                    "cơ quan thường trực duyệt."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=700, blank=True, editable=False, db_index=True)

    search_fields = ("code", "title")

    # Only these moves are allowed; each one is recorded in the audit log (`workflow.move`).
    workflow = Workflow(ProgramStatus, {
        ProgramStatus.DRAFT: {ProgramStatus.SIGNED},
        ProgramStatus.SIGNED: {ProgramStatus.IN_FORCE, ProgramStatus.ENDED},
        ProgramStatus.IN_FORCE: {ProgramStatus.ENDED},
        ProgramStatus.ENDED: set(),
    })

    class Meta:
        verbose_name = _("chương trình phối hợp")
        verbose_name_plural = _("chương trình phối hợp")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="program_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def phase_label(self) -> str:
        if self.end is None:
            return f"từ {self.start.year}"
        return f"{self.start.year} - {self.end.year}"

    def clean(self) -> None:
        if self.kind == self.Kind.PROGRAM and self.end is None:
            raise ValidationError({"end": _("Chương trình phối hợp phải có năm kết thúc giai đoạn (chỉ quy chế mới không có).")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu.")})

    def related_organization_ids(self) -> set[int]:
        """Parties and the standing offices of the committees steering this program."""
        ids = set(self.parties.values_list("organization_id", flat=True))
        ids |= set(
            self.steering_committees.exclude(standing_office=None).values_list("standing_office_id", flat=True)
        )
        return ids

    @property
    def is_public(self) -> bool:
        """A signed program is a public act; a draft belongs to its parties only."""
        return self.status != ProgramStatus.DRAFT


@audited
class ProgramParty(BaseModel):
    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        MEMBER = "member", _("Phối hợp")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="parties", verbose_name=_("chương trình"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="program_parties", verbose_name=_("tổ chức"))
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    signatory = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người ký"))
    signatory_title = models.CharField(_("chức danh người ký"), max_length=200, blank=True)
    signing_prefix = models.CharField(_("thẩm quyền ký (TM./KT./Q.)"), max_length=60, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    document_symbol = models.CharField(_("ký hiệu văn bản"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("bên tham gia")
        verbose_name_plural = _("các bên tham gia")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["program", "organization"], name="party_once_per_program")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    @property
    def document_reference(self) -> str:
        if not self.document_number and not self.document_symbol:
            return ""
        return f"{self.document_number}/{self.document_symbol}".strip("/")


@audited
class Responsibility(BaseModel):
    class Level(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="responsibilities")
    party = models.ForeignKey(ProgramParty, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("bên"))
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("nội dung"))
    level = models.CharField(_("trách nhiệm"), max_length=10, choices=Level.choices)
    text = models.TextField(_("nội dung trách nhiệm"), blank=True)

    class Meta:
        verbose_name = _("trách nhiệm")
        verbose_name_plural = _("trách nhiệm của các bên")
        ordering = ["content_area__order", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "content_area"], name="one_responsibility_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.party.organization} — {self.content_area}: {self.get_level_display()}"

    def clean(self) -> None:
        if self.party_id and self.program_id and self.party.program_id != self.program_id:
            raise ValidationError(_("Bên được giao trách nhiệm không thuộc chương trình này."))


@audited
class SteeringCommittee(BaseModel, Validity):
    name = models.CharField(_("tên"), max_length=300)
    administrative_unit = models.ForeignKey(
        "organizations.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("địa bàn"),
    )
    standing_office = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="standing_offices",
        verbose_name=_("cơ quan thường trực"),
    )
    programs = models.ManyToManyField(Program, blank=True, related_name="steering_committees", verbose_name=_("chương trình chỉ đạo"))
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_validity()


@audited
class CommitteeMember(BaseModel, Validity):
    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó Trưởng ban")
        MEMBER = "member", _("Thành viên")
        SECRETARY = "secretary", _("Thư ký")

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("cá nhân"))
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị công tác"))
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("thành viên ban chỉ đạo")
        ordering = ["committee", "role", "id"]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    def clean(self) -> None:
        self.clean_validity()


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lên kế hoạch")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


@audited
class Event(BaseModel):
    class Kind(models.TextChoices):
        SIGNING = "signing", _("Ký kết")
        INTERIM_REVIEW = "interim_review", _("Sơ kết")
        FINAL_REVIEW = "final_review", _("Tổng kết")
        MEETING = "meeting", _("Giao ban định kỳ")
        LAUNCH = "launch", _("Phát động")
        CEREMONY = "ceremony", _("Lễ kỷ niệm, mít tinh")

    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=400)
    starts_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chair = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chủ trì"))
    chair_title = models.CharField(_("chức vụ người chủ trì"), max_length=200, blank=True)
    committee = models.ForeignKey(SteeringCommittee, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("ban chỉ đạo tổ chức"))
    programs = models.ManyToManyField(Program, blank=True, related_name="events", verbose_name=_("chương trình liên quan"))
    organizations = models.ManyToManyField(Organization, blank=True, related_name="events", verbose_name=_("tổ chức tham gia"))
    witnesses = models.TextField(_("đại biểu chứng kiến"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    held_on = models.DateField(_("ngày tổ chức"), null=True, blank=True)
    attendees = models.TextField(_("thành phần tham dự"), blank=True)
    outcome = models.TextField(_("kết quả"), blank=True)
    is_public = models.BooleanField(_("công khai"), default=False)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    # A planned event is held (with its date, place, attendees and outcome) or cancelled (with its
    # reason); both are final. Each move is recorded in the audit log (`programs.events`).
    workflow = Workflow(EventStatus, {
        EventStatus.PLANNED: {EventStatus.HELD, EventStatus.CANCELLED},
    })

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    def related_organization_ids(self) -> set[int]:
        ids = set(self.organizations.values_list("id", flat=True))
        for program in self.programs.all():
            ids |= program.related_organization_ids()
        if self.committee and self.committee.standing_office_id:
            ids.add(self.committee.standing_office_id)
        return ids


def event_attachment_path(instance, filename: str) -> str:
    return f"event-attachments/{instance.event_id}/{filename}"


@audited
class EventAttachment(BaseModel):
    """Minutes, photos and other papers of an event, downloadable from its page."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Biên bản")
        PHOTO = "photo", _("Ảnh")
        OTHER = "other", _("Tài liệu khác")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("sự kiện"))
    kind = models.CharField(_("loại tệp"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("tệp"), upload_to=event_attachment_path)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tệp của sự kiện")
        verbose_name_plural = _("tệp của sự kiện")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.caption or self.filename

    @property
    def filename(self) -> str:
        """The file's own name (as uploaded, made safe by the storage), without its folder."""
        return self.file.name.rsplit("/", 1)[-1]


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Chờ trả lời")
    ACCEPTED = "accepted", _("Đã nhận lời")
    DECLINED = "declined", _("Đã từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút lại")


def _invitation_answered(old_label: str, _new_label: str) -> str:
    return str(_("Lời mời này đã được trả lời hoặc đã được rút lại (%(state)s).") % {"state": old_label})


@audited
class PartyInvitation(BaseModel):
    """An organisation asked to become a party of a program. It becomes one only when a committee
    administrator of that organisation accepts (services.answer_invitation); every step is in the
    audit log."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("chương trình"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="program_invitations", verbose_name=_("tổ chức được mời"))
    role = models.CharField(_("vai trò"), max_length=10, choices=ProgramParty.Role.choices, default=ProgramParty.Role.MEMBER)
    signatory_title = models.CharField(_("chức danh người ký"), max_length=200, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    document_symbol = models.CharField(_("ký hiệu văn bản"), max_length=60, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người mời"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người trả lời"),
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    # A pending invitation is answered once (`workflow.move`, recorded with its note); the answer is final.
    workflow = Workflow(InvitationState, {
        InvitationState.PENDING: {InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.WITHDRAWN},
    }, field="state", refused=_invitation_answered)

    class Meta:
        verbose_name = _("lời mời tham gia chương trình")
        verbose_name_plural = _("lời mời tham gia chương trình")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"], condition=models.Q(state="pending"),
                name="one_pending_invitation_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.program.code}"
