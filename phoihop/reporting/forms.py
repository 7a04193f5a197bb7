from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.forms import vietnamese_number_field
from phoihop.programs.models import ContentArea
from phoihop.reporting.models import Activity

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text=_("Ghi rõ cần sửa số liệu nào, vì sao."),
                             error_messages={"required": _("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")})


class ReopenForm(forms.Form):
    until = forms.DateField(label=_("Mở lại đến ngày"), input_formats=DATE_FORMATS, widget=DATE_WIDGET, error_messages=DATE_ERRORS,
                            help_text=_("Sau ngày này kỳ báo cáo tự khóa lại."))
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=1000, help_text=_("Được ghi vào nhật ký."),
                             error_messages={"required": _("Hãy ghi lý do mở lại kỳ báo cáo.")})

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
        return until


class ActivityForm(forms.ModelForm):
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False,
                                 help_text=_("Ảnh (JPG, PNG), biên bản quét (PDF) hoặc văn bản (DOCX), tối đa 10 MB."))
    caption = forms.CharField(label=_("Chú thích tệp"), required=False, max_length=300,
                              help_text=_("Mô tả ngắn tệp, ví dụ “Biên bản bàn giao nhà tình nghĩa”."))

    class Meta:
        formfield_callback = vietnamese_number_field
        model = Activity
        fields = ["title", "program", "content_area", "lead_organization", "co_organizers", "status", "start_date", "end_date",
                  "place_text", "participants", "funds_spent", "funds_mobilised", "result"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "result": forms.Textarea(attrs={"rows": 4}),
                   "co_organizers": forms.CheckboxSelectMultiple}
        help_texts = {
            "title": _("Ví dụ: Thăm, tặng quà gia đình chính sách nhân dịp 27/7."),
            "lead_organization": _("Đơn vị chủ trì nhập hoạt động; số liệu của hoạt động chung chỉ tính một lần khi tổng hợp."),
            "co_organizers": _("Các đơn vị cùng tổ chức: hoạt động được ghi nhận cho cả các đơn vị này."),
            "participants": _("Số người tham gia (người)."),
            "funds_spent": _("Triệu đồng."), "funds_mobilised": _("Triệu đồng, vận động được từ xã hội."),
            "program": _("Chương trình mà hoạt động thực hiện; để trống nếu không thuộc chương trình nào."),
            "content_area": _("Nội dung phối hợp của hoạt động."),
            "status": _("Kế hoạch và Hủy không được tính vào kết quả; Đã thực hiện được tính."),
            "start_date": _("dd/mm/yyyy."),
            "end_date": _("dd/mm/yyyy; hoạt động được tính vào kỳ báo cáo chứa ngày kết thúc."),
            "place_text": _("Ví dụ: Nhà văn hóa phường Vũ Ninh."),
            "result": _("Kết quả chính của hoạt động, vài câu."),
        }

    def __init__(self, *args, organizations=None, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].error_messages.update(DATE_ERRORS)
        if organizations is not None:
            self.fields["lead_organization"].queryset = organizations
        if programs is not None:
            self.fields["program"].queryset = programs
            self.fields["co_organizers"].queryset = self.fields["co_organizers"].queryset.filter(
                program_parties__program__in=programs).distinct().order_by("name")
        self.fields["content_area"].queryset = ContentArea.objects.all()

    # Dates, the lead among the co-organisers, the lock of a reported month and what an attached
    # file really is are checked by `reporting.activities` when the view saves, the same way for
    # every door.
