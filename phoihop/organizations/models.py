"""Administrative units, organisations and people — every one of them versioned in time.

A unit or an organisation that is renamed, merged or split is not edited in place: the old row
gets a `valid_to`, a new row starts, and a succession link says what happened. An organisation's
place in the hierarchy is also dated (`OrganizationParent`), because bodies change masters
without changing identity (e.g. the mass organisations coming under the Fatherland Front in 2025).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.audit.recorder import audited
from phoihop.core.models import BaseModel, Validity, ValidityQuerySet


class SuccessionKind(models.TextChoices):
    RENAMED = "renamed", _("Đổi tên")
    MERGED = "merged", _("Hợp nhất / sáp nhập")
    SPLIT = "split", _("Chia tách")
    REORGANISED = "reorganised", _("Tổ chức lại")


@audited
class AdministrativeUnit(BaseModel, Validity):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh / thành phố trực thuộc trung ương")
        CITY = "city", _("Thành phố thuộc tỉnh / thị xã")
        DISTRICT = "district", _("Huyện / quận")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")

    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    search_fields = ("name",)
    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[AdministrativeUnit]:
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError(_("Đơn vị hành chính không thể trực thuộc chính nó."))
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain

    def clean(self) -> None:
        self.clean_validity()
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("Đơn vị hành chính không thể trực thuộc chính nó.")})
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("Đơn vị hành chính không thể là cấp trên của chính nó.")}
                    )
                node = node.parent
            if self.valid_from and self.parent.valid_to and self.valid_from > self.parent.valid_to:
                raise ValidationError(
                    {"parent": _("Đơn vị cấp trên đã hết hiệu lực trước khi đơn vị này bắt đầu.")}
                )


class Succession(BaseModel):
    """What happened between two rows of a versioned thing: renamed, merged, split, reorganised."""

    kind = models.CharField(_("hình thức"), max_length=20, choices=SuccessionKind.choices)
    effective = models.DateField(_("có hiệu lực từ"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    def clean(self) -> None:
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError(_("Một đơn vị, tổ chức không thể kế tục chính nó."))


@audited
class UnitSuccession(Succession):
    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links",
        verbose_name=_("đơn vị trước"),
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessor_links",
        verbose_name=_("đơn vị kế tục"),
    )

    class Meta:
        verbose_name = _("kế tục đơn vị hành chính")
        verbose_name_plural = _("kế tục đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession_once"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="unit_not_own_successor"
            ),
        ]


@audited
class Organization(BaseModel, Validity):
    class Kind(models.TextChoices):
        MILITARY_COMMAND = "military_command", _("Cơ quan quân sự")
        PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
        PARTY_BOARD = "party_board", _("Ban của cấp ủy")
        FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
        SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
        SOCIAL_HUMANITARIAN = "social_humanitarian", _("Tổ chức xã hội nhân đạo")
        STATE_AGENCY = "state_agency", _("Cơ quan nhà nước")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=250)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("địa bàn"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organizations",
    )
    # How the body is written in a document header: its own line ("BAN DÂN VẬN") and the superior
    # body's line above it ("THÀNH ỦY BẮC NINH"). Empty: the name in capitals, no superior line.
    header_name = models.CharField(_("tên trên tiêu đề văn bản"), max_length=200, blank=True)
    header_parent_name = models.CharField(_("tên cơ quan chủ quản (tiêu đề văn bản)"), max_length=200, blank=True)
    document_abbreviation = models.CharField(_("chữ viết tắt trên số văn bản"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False, db_index=True)

    search_fields = ("name", "short_name")
    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_validity()

    def parent_on(self, day: dt.date) -> Organization | None:
        link = self.parent_links.valid_on(day).select_related("parent").first()
        return link.parent if link else None

    @property
    def document_header_name(self) -> str:
        return self.header_name or self.name.upper()

    @property
    def is_party_body(self) -> bool:
        return self.kind in {self.Kind.PARTY_COMMITTEE, self.Kind.PARTY_BOARD}


@audited
class OrganizationParent(BaseModel, Validity):
    """`child` sits under `parent` from valid_from to valid_to."""

    child = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("tổ chức")
    )
    parent = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="child_links", verbose_name=_("cấp trên")
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("quan hệ trực thuộc")
        verbose_name_plural = _("quan hệ trực thuộc")
        constraints = [
            models.CheckConstraint(condition=~models.Q(child=models.F("parent")), name="org_not_own_parent")
        ]

    def __str__(self) -> str:
        return f"{self.child} ⊂ {self.parent}"

    def clean(self) -> None:
        self.clean_validity()
        if self.child_id and self.child_id == self.parent_id:
            raise ValidationError({"parent": _("Tổ chức không thể trực thuộc chính nó.")})
        overlapping = OrganizationParent.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        for other in overlapping:
            if _overlaps(self.valid_from, self.valid_to, other.valid_from, other.valid_to):
                raise ValidationError(
                    _("Trong cùng một thời gian, một tổ chức chỉ trực thuộc một cấp trên (trùng với: %(other)s).")
                    % {"other": other.parent}
                )
        # No cycle on any day the link is in force: walk up from the parent at the link's start.
        day = self.valid_from or dt.date.min
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == self.child_id:
                raise ValidationError({"parent": _("Quan hệ này làm tổ chức trở thành cấp trên của chính nó.")})
            seen.add(node.pk)
            node = node.parent_on(day)


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    lo = dt.date.min
    hi = dt.date.max
    return (a_from or lo) <= (b_to or hi) and (b_from or lo) <= (a_to or hi)


@audited
class OrganizationSuccession(Succession):
    predecessor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="successor_links",
        verbose_name=_("tổ chức trước"),
    )
    successor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="predecessor_links",
        verbose_name=_("tổ chức kế tục"),
    )

    class Meta:
        verbose_name = _("kế tục tổ chức")
        verbose_name_plural = _("kế tục tổ chức")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="org_succession_once"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="org_not_own_successor"
            ),
        ]


@audited
class Person(BaseModel):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=300, blank=True, editable=False, db_index=True)

    search_fields = ("full_name",)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")

    def __str__(self) -> str:
        return self.full_name

    def position_on(self, day: dt.date) -> Position | None:
        return self.positions.valid_on(day).select_related("organization").first()


@audited
class Position(BaseModel, Validity):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("cá nhân"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions", verbose_name=_("tổ chức")
    )
    title = models.CharField(_("chức vụ"), max_length=150)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")

    def __str__(self) -> str:
        return f"{self.person} — {self.title}, {self.organization}"

    def clean(self) -> None:
        self.clean_validity()
