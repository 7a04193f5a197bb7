from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.almanac import lunar
from phoihop.almanac.models import CalendarKind, Commemoration
from phoihop.core.bounds import validate_date
from phoihop.core.forms import VietnameseIntegerField, vietnamese_number_field
from phoihop.organizations.models import AdministrativeUnit, Organization

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CommemorationForm(forms.ModelForm):
    """A local commemoration for an organisation the user manages."""

    class Meta:
        formfield_callback = vietnamese_number_field
        model = Commemoration
        fields = ["organization", "name", "short_name", "calendar", "day", "month", "origin_year", "source", "note"]
        widgets = {"source": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "organization": _("Tổ chức có ngày truyền thống này (các tổ chức bạn quản trị)."),
            "name": _("Tên đầy đủ như trong văn bản, ví dụ “Ngày truyền thống Hội Cựu chiến binh Việt Nam”."),
            "short_name": _("Tên gọn hiện trên lịch tháng."),
            "calendar": _("Dương lịch hoặc âm lịch; ngày âm lịch được đổi sang dương lịch từng năm (giờ Việt Nam)."),
            "day": _("Ngày trong tháng (1–31) theo lịch đã chọn."),
            "month": _("Tháng (1–12) theo lịch đã chọn."),
            "source": _("Văn bản xác nhận ngày này, ví dụ số quyết định."),
            "note": _("Ghi chú nội bộ, không in ra văn bản."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations if organizations is not None else Organization.objects.none()
        self.fields["organization"].required = True
        self.fields["organization"].empty_label = None
        self.fields["day"].widget.attrs.update(min=1, max=31)
        self.fields["month"].widget.attrs.update(min=1, max=12)

    def clean(self):
        cleaned = super().clean()
        self.instance.scope = "local"
        self.instance.administrative_unit = None
        return cleaned

    def save(self, commit: bool = True):
        instance = super().save(commit=False)
        if not instance.code:
            instance.code = _unique_code(instance)
        if commit:
            instance.save()
        return instance


def _unique_code(instance: Commemoration) -> str:
    from django.utils.text import slugify

    from phoihop.core.vietnamese import fold

    base = slugify(fold(instance.name))[:50] or "ngay-ky-niem"
    base = f"{base}-{instance.organization_id or 'dv'}"
    code, n = base, 2
    while Commemoration.objects.filter(code=code).exclude(pk=instance.pk).exists():
        code, n = f"{base}-{n}", n + 1
    return code


class YearThemeForm(forms.Form):
    owner = forms.ChoiceField(label=_("Của tổ chức / địa bàn"), help_text=_("Chủ đề của một tổ chức hay của cả địa bàn."))
    year = VietnameseIntegerField(grouping=False, label=_("Năm"), min_value=lunar.MIN_YEAR, max_value=lunar.MAX_YEAR, help_text=_("Năm áp dụng, ví dụ 2019."))
    theme = forms.CharField(label=_("Chủ đề công tác năm"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text=_("Nguyên văn chủ đề công tác năm."))
    resolutions = forms.CharField(
        label=_("Quyết tâm chính trị"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Mỗi dòng một quyết tâm, theo thứ tự; số thứ tự được đánh tự động."),
    )
    source = forms.CharField(label=_("Căn cứ (nghị quyết, kết luận…)"), max_length=300, required=False,
                             help_text=_("Nghị quyết, kết luận đề ra chủ đề, ví dụ “Nghị quyết số …-NQ/TU ngày …”."))

    def __init__(self, *args, organizations=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"org:{o.pk}", o.name) for o in organizations]
        choices += [(f"unit:{u.pk}", f"{_('Địa bàn')}: {u.name}") for u in units]
        self.fields["owner"].choices = choices
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def owner_objects(self) -> tuple[Organization | None, AdministrativeUnit | None]:
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "org":
            return Organization.objects.get(pk=pk), None
        return None, AdministrativeUnit.objects.get(pk=pk)

    def resolution_lines(self) -> list[str]:
        lines = []
        for raw in self.cleaned_data.get("resolutions", "").splitlines():
            text = raw.strip().lstrip("-•").strip()
            # "1. …", "01) …": the number is given by the order.
            head, sep, rest = text.partition(" ")
            if sep and head.rstrip(".)").isdigit():
                text = rest.strip()
            if text:
                lines.append(text)
        return lines


class WindowForm(forms.Form):
    """?from=…&to=… (dd/mm/yyyy or yyyy-mm-dd); default: today and the next 60 days."""

    start = forms.DateField(label=_("Từ ngày"), required=False, input_formats=DATE_INPUT_FORMATS, validators=[validate_date],
                            help_text=_("dd/mm/yyyy; để trống: hôm nay."))
    end = forms.DateField(label=_("Đến ngày"), required=False, input_formats=DATE_INPUT_FORMATS, validators=[validate_date],
                          help_text=_("dd/mm/yyyy; để trống: 60 ngày sau; tối đa 3 năm."))

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, *args, **kwargs)

    def window(self, default_days: int = 60) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        start = (self.cleaned_data.get("start") if self.is_valid() else None) or today
        end = (self.cleaned_data.get("end") if self.is_valid() else None) or start + dt.timedelta(days=default_days)
        return start, end


__all__ = ["CommemorationForm", "YearThemeForm", "WindowForm", "CalendarKind"]
