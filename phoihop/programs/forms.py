"""Forms of the program pages (create, successor, edit, status moves). They only read what was
typed; every rule is checked by programs.services, which writes."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.organizations.labels import org_label
from phoihop.organizations.models import Organization
from phoihop.programs.models import ContentArea, Program, ProgramParty, Responsibility

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


def date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DATE_WIDGET,
                           error_messages={**DATE_ERRORS, "required": _("Hãy nhập ngày.")}, help_text=help_text)


class OrganizationChoiceField(forms.ModelChoiceField):
    """The plain (no script) organisation picker: every label names the parent and the validity."""

    def __init__(self, *args, day: dt.date | None = None, **kwargs):
        self.day = day
        kwargs.setdefault("queryset", Organization.objects.order_by("name", "valid_from"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return org_label(obj, self.day)


class ProgramForm(forms.Form):
    code = forms.SlugField(label=_("Mã chương trình"), max_length=60,
                           help_text=_("Chữ không dấu, số, dấu gạch; dùng trong địa chỉ trang."))
    title = forms.CharField(label=_("Tên chương trình"), max_length=500, widget=forms.TextInput(attrs={"size": 80}))
    kind = forms.ChoiceField(label=_("Loại"), choices=Program.Kind.choices, initial=Program.Kind.PROGRAM)
    start = date_field(_("Bắt đầu giai đoạn"))
    end = date_field(_("Kết thúc giai đoạn"), required=False, help_text=_("Để trống chỉ với quy chế phối hợp."))
    purpose = forms.CharField(label=_("Mục đích, yêu cầu"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    meeting_cadence = forms.CharField(label=_("Chế độ giao ban"), required=False, max_length=300)
    review_schedule = forms.CharField(label=_("Chế độ sơ kết, tổng kết"), required=False, max_length=300)
    two_level_approval = forms.BooleanField(label=Program._meta.get_field("two_level_approval").verbose_name,
                                            help_text=Program._meta.get_field("two_level_approval").help_text,
                                            required=False)
    content_areas = forms.ModelMultipleChoiceField(label=_("Nội dung phối hợp"), required=False,
                                                   queryset=ContentArea.objects.all(), to_field_name="code",
                                                   widget=forms.CheckboxSelectMultiple)


class CreateForm(ProgramForm):
    first_party = OrganizationChoiceField(label=_("Tổ chức chủ trì (tổ chức bạn quản trị)"),
                                          help_text=_("Các bên khác được thêm ở trang sửa chương trình; "
                                                      "tổ chức bạn không quản trị được gửi lời mời."))

    def __init__(self, *args, managed: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if managed is not None:
            self.fields["first_party"].queryset = Organization.objects.filter(pk__in=managed).order_by("name", "valid_from")


class SuccessorForm(forms.Form):
    code = forms.SlugField(label=_("Mã chương trình mới"), max_length=60,
                           help_text=_("Chữ không dấu, số, dấu gạch; dùng trong địa chỉ trang."))
    title = forms.CharField(label=_("Tên chương trình mới"), max_length=500, widget=forms.TextInput(attrs={"size": 80}))
    start = date_field(_("Bắt đầu giai đoạn mới"))
    end = date_field(_("Kết thúc giai đoạn mới"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."))
        return data


class PartyForm(forms.Form):
    """One party's row on the edit page (prefix: the organisation's id)."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=ProgramParty.Role.choices)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"size": 5}))
    document_symbol = forms.CharField(label=_("Ký hiệu văn bản"), max_length=60, required=False,
                                      widget=forms.TextInput(attrs={"size": 14}))
    signing_prefix = forms.CharField(label=_("Thẩm quyền ký (TM./KT./Q.)"), max_length=60, required=False,
                                     widget=forms.TextInput(attrs={"size": 14}))
    signatory_name = forms.CharField(label=_("Họ tên người ký"), max_length=150, required=False,
                                     widget=forms.TextInput(attrs={"size": 18}))
    signatory_title = forms.CharField(label=_("Chức danh người ký"), max_length=200, required=False,
                                      widget=forms.TextInput(attrs={"size": 16}))
    remove = forms.BooleanField(label=_("Bỏ khỏi chương trình"), required=False)


LEVEL_CHOICES = [("", "—"), *Responsibility.Level.choices]


class StatusForm(forms.Form):
    note = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Được ghi vào lịch sử thay đổi của chương trình."),
                           error_messages={"required": _("Hãy ghi lý do chuyển trạng thái.")})


class SigningForm(StatusForm):
    signing_date = date_field(_("Ngày ký"))
    field_order = ["signing_date", "note"]
