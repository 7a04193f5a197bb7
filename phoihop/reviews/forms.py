

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phoihop.core.bounds import check_results_window, validate_date
from phoihop.reviews.models import Review, Section

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DATE_WIDGET,
                           error_messages=DATE_ERRORS, help_text=help_text, validators=[validate_date])


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề báo cáo"), max_length=500,
                            help_text=_("Ví dụ: Sơ kết Chương trình phối hợp … giai đoạn 2016 - 2019."))
    kind = forms.ChoiceField(label=_("Loại"), choices=Review.Kind.choices,
                             help_text=_("Sơ kết (giữa giai đoạn), Sơ kết năm hoặc Tổng kết (cuối giai đoạn)."))
    date = _date(_("Ngày tổ chức"), help_text=_("Ngày họp hội nghị (dd/mm/yyyy), ghi trên báo cáo."))
    place = forms.CharField(label=_("Địa danh trên văn bản"), max_length=100, initial="Bắc Ninh",
                            help_text=_("Dùng trong dòng “Bắc Ninh, ngày … tháng … năm …”."))
    organizer = forms.ModelChoiceField(label=_("Cơ quan tổ chức"), queryset=None,
                                       help_text=_("Cơ quan thường trực chuẩn bị hội nghị và ban hành báo cáo."))
    contribution_deadline = _date(_("Hạn các bên gửi ý kiến"), required=False, help_text=_("dd/mm/yyyy; để trống nếu không đặt hạn."))

    def __init__(self, *args, organizers=None, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizers
        self.programs = programs
        for i in range(3):
            self.fields[f"program_{i}"] = forms.ModelChoiceField(
                label=_("Chương trình %(n)s") % {"n": i + 1}, queryset=programs, required=(i == 0), to_field_name="code",
                help_text=_("Chương trình được sơ kết, tổng kết (thêm chương trình thứ hai, thứ ba nếu có)."))
            self.fields[f"start_{i}"] = _date(_("từ ngày"), required=False, help_text=_("Để trống: từ đầu giai đoạn của chương trình."))
            self.fields[f"end_{i}"] = _date(_("đến ngày"), required=False,
                                            help_text=_("Để trống: theo giai đoạn của chương trình, đến ngày tổ chức."))

    def items(self) -> list[tuple]:
        rows = []
        for i in range(3):
            program = self.cleaned_data.get(f"program_{i}")
            if program is None:
                continue
            start = self.cleaned_data.get(f"start_{i}") or program.start
            end = self.cleaned_data.get(f"end_{i}") or min(program.end or self.cleaned_data["date"], self.cleaned_data["date"])
            rows.append((program, start, end))
        return rows

    def clean(self):
        data = super().clean()
        if data.get("date") is None:
            return data
        seen = set()
        for i in range(3):
            program = data.get(f"program_{i}")
            if program is None:
                continue
            if program.pk in seen:
                self.add_error(f"program_{i}", _("Chương trình này đã được chọn."))
            seen.add(program.pk)
            start, end = data.get(f"start_{i}"), data.get(f"end_{i}")
            if start and end and end < start:
                self.add_error(f"end_{i}", _("Ngày kết thúc phải sau ngày bắt đầu."))
            else:
                # The report aggregates this window (as items() completes it): the cost bound of
                # every result applies.
                start = start or program.start
                end = end or min(program.end or data["date"], data["date"])
                try:
                    check_results_window(start, end)
                except ValidationError as exc:
                    self.add_error(f"end_{i}", exc.messages)
        return data


class NarrativeForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
                           max_length=50000, help_text=_("Mỗi đoạn cách nhau một dòng trống. Định dạng dán từ Word được bỏ, chỉ giữ chữ."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContributionForm(forms.Form):
    section = forms.ChoiceField(label=_("Phần"), choices=Section.choices, help_text=_("Phần của báo cáo mà ý kiến đóng góp vào."))
    organization = forms.ModelChoiceField(label=_("Thay mặt"), queryset=None, help_text=_("Tổ chức bạn gửi ý kiến thay mặt."))
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8, "cols": 90}), max_length=20000,
                           help_text=_("Mỗi đoạn cách nhau một dòng trống; được tổng hợp vào báo cáo chung."))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


