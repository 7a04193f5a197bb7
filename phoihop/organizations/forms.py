import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.bounds import validate_date
from phoihop.organizations.models import Organization


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("Tại ngày"), required=False, validators=[validate_date],
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Xem cơ cấu tổ chức như tại ngày này (dd/mm/yyyy)."),
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")},
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10}, format="%d/%m/%Y"),
    )
    q = forms.CharField(
        label=_("Tìm"), required=False, max_length=100,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ “dan van”."),
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + list(Organization.Kind.choices),
        help_text=_("Lọc theo loại tổ chức."),
    )

    def as_of_date(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()
