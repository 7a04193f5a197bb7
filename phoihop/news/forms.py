from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.news.models import Category
from phoihop.news.sanitize import OWN_IMAGE, plain_text

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
MAX_RAW_BODY = 300_000
_UNSAFE_HINT = re.compile(
    r"<\s*(?:script|iframe|object|embed|svg|math|style|form|meta|link|base)\b|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:"
    r"|data\s*:\s*text",
    re.I,
)
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def unsafe_parts(raw: str) -> list[str]:
    """What the sanitiser will drop from a body, said plainly (for a message to the editor)."""
    found = []
    if _UNSAFE_HINT.search(raw or ""):
        found.append(str(_("mã script, thuộc tính sự kiện (on…), liên kết javascript: hoặc thẻ nhúng")))
    if any(not OWN_IMAGE.match(src) for src in _IMG_SRC.findall(raw or "")):
        found.append(str(_("ảnh không được tải lên qua hệ thống (chỉ nhận ảnh tải lên ở mục Ảnh của bài)")))
    return found


def _plain_field(label, max_length, required=True, help_text="", widget=None):
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length * 4,
                           widget=widget or forms.TextInput(attrs={"maxlength": max_length * 4}))


class ArticleForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cơ quan đăng tin"), queryset=None, required=False)
    title = _plain_field(_("Tiêu đề"), 300, widget=forms.TextInput(attrs={"size": 80}))
    lead = _plain_field(_("Sa pô (tóm tắt)"), 1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                        help_text=_("Một, hai câu tóm tắt; hiện ở danh sách tin, khi chia sẻ lên mạng xã hội và trong RSS."))
    body = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
                           help_text=_("Được giữ: tiêu đề mục, đoạn văn, danh sách, liên kết, chữ đậm/nghiêng, trích dẫn, bảng, "
                                       "ảnh đã tải lên kèm chú thích. Định dạng dán từ Word được làm sạch; mã script bị bỏ."))
    author = _plain_field(_("Tác giả"), 200, required=False)
    source = _plain_field(_("Nguồn"), 200, required=False)
    category = forms.ModelChoiceField(label=_("Chuyên mục"), queryset=Category.objects.all(), required=False)
    program = forms.ModelChoiceField(label=_("Chương trình liên quan"), queryset=None, required=False)
    event = forms.ModelChoiceField(label=_("Sự kiện liên quan"), queryset=None, required=False)
    cover = forms.ModelChoiceField(label=_("Ảnh đại diện"), queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organizations=None, programs=None, events=None, images_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            self.fields["organization"].required = True
        self.fields["program"].queryset = programs
        self.fields["event"].queryset = events
        if images_qs is None:
            del self.fields["cover"]
        else:
            self.fields["cover"].queryset = images_qs

    def _clean_plain(self, name: str, limit: int, required: bool) -> str:
        value = plain_text(self.cleaned_data.get(name, ""))
        if required and not value:
            raise forms.ValidationError(_("Không được để trống (sau khi bỏ các thẻ HTML, chỉ còn chữ)."))
        if len(value) > limit:
            raise forms.ValidationError(_("Dài %(n)s ký tự; tối đa %(max)s.") % {"n": len(value), "max": limit})
        return value

    def clean_title(self):
        return self._clean_plain("title", 300, True)

    def clean_lead(self):
        return self._clean_plain("lead", 1000, True)

    def clean_author(self):
        return self._clean_plain("author", 200, False)

    def clean_source(self):
        return self._clean_plain("source", 200, False)

    def clean_body(self):
        raw = self.cleaned_data.get("body", "")
        if len(raw) > MAX_RAW_BODY:
            raise forms.ValidationError(_("Nội dung quá dài (%(n)s ký tự); tối đa %(max)s. Ảnh hãy tải lên ở mục Ảnh, "
                                          "đừng dán trực tiếp vào bài.") % {"n": len(raw), "max": MAX_RAW_BODY})
        self.unsafe = unsafe_parts(raw)
        return raw

    def content(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ("title", "lead", "body", "author", "source", "category", "program", "event")}
        if "cover" in self.fields:
            data["cover"] = self.cleaned_data.get("cover")
        return data


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Thời gian đăng"), required=False, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy HH:MM", "size": 16}, format="%d/%m/%Y %H:%M"),
        error_messages={"invalid": _("Thời gian không hợp lệ, hãy nhập theo dạng dd/mm/yyyy HH:MM (ví dụ 10/07/2019 17:13).")},
        help_text=_("Để trống: đăng ngay. Một thời điểm sắp tới: bài tự hiện khi đến giờ (hẹn giờ, tối đa 1 năm)."),
    )
    confirm_backdate = forms.BooleanField(
        label=_("Tôi xác nhận đăng lùi ngày (bài đã đăng từ trước, ví dụ nhập lại tin cũ)"), required=False,
    )


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=[("withdrawn", _("Thu hồi")), ("draft", _("Đưa về bản nháp"))])
    note = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Ảnh (JPEG, PNG, WebP; tối đa 5 MB)"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            error_messages={"required": _("Hãy chọn một tệp ảnh."),
                                            "empty": _("Tệp ảnh trống.")})
    caption = _plain_field(_("Chú thích ảnh"), 300, required=False)
    as_cover = forms.BooleanField(label=_("Dùng làm ảnh đại diện"), required=False)

    def clean_caption(self):
        return plain_text(self.cleaned_data.get("caption", ""))[:300]


class FromEventForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Cơ quan đăng tin"), queryset=None)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
