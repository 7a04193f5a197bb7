"""The forms of the committee and event pages. They only parse what was typed (dates as
dd/mm/yyyy, kept as typed when anything is wrong); every rule is checked by `programs.events`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phoihop.core.bounds import parse_id, validate_date
from phoihop.organizations.models import Organization, Person
from phoihop.programs.models import CommitteeMember, Event, EventAttachment, SteeringCommittee

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10, "autocomplete": "off"}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."), "required": _("Hãy nhập ngày (dd/mm/yyyy).")}
TIME_ERRORS = {"invalid": _("Giờ không hợp lệ, hãy nhập theo dạng hh:mm (ví dụ 08:30)."), "required": _("Hãy nhập giờ (hh:mm).")}


def date_field(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DATE_WIDGET,
                           error_messages=DATE_ERRORS, help_text=help_text, validators=[validate_date])


def _span(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    if valid_from is None and valid_to is None:
        return ""
    start = valid_from.strftime("%d/%m/%Y") if valid_from else "…"
    end = valid_to.strftime("%d/%m/%Y") if valid_to else "…"
    return f"{start} – {end}"


def organization_choices() -> list[tuple[str, str]]:
    """Every organisation with its parent and validity, so two bodies with the same name are told
    apart: "Hội LHPN thành phố — thuộc Thành ủy; 01/01/2013 – 30/06/2025"."""
    today = timezone.localdate()
    orgs = Organization.objects.prefetch_related("parent_links__parent").order_by("name", "valid_from", "id")
    choices = []
    for org in orgs:
        day = min(today, org.valid_to) if org.valid_to else today
        links = list(org.parent_links.all())
        link = next((x for x in links if x.is_valid_on(day)), None) or (
            max(links, key=lambda x: x.valid_from or dt.date.min) if links else None)
        parts = [org.name]
        if link is not None:
            parts.append(gettext("thuộc %(parent)s") % {"parent": link.parent.short_name or link.parent.name})
        span = _span(org.valid_from, org.valid_to)
        if span:
            parts.append(gettext("hiệu lực %(span)s") % {"span": span})
        choices.append((str(org.pk), " — ".join(parts)))
    return choices


def person_choices() -> list[tuple[str, str]]:
    return [("", gettext("— chọn người có sẵn —"))] + [
        (str(p.pk), p.full_name) for p in Person.objects.order_by("full_name", "id")
    ]


def ids(values) -> list[int]:
    return [i for i in (parse_id(v) for v in values or []) if i is not None]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại sự kiện"), choices=Event.Kind.choices,
                             help_text=_("Sơ kết, tổng kết, ký kết, giao ban …"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=400, required=False, widget=forms.TextInput(attrs={"size": 80}))
    date = date_field(_("Ngày tổ chức"), help_text=_("dd/mm/yyyy"))
    time = forms.TimeField(label=_("Giờ"), input_formats=["%H:%M", "%Hh%M", "%H"], error_messages=TIME_ERRORS,
                           widget=forms.TimeInput(attrs={"placeholder": "hh:mm", "size": 5}, format="%H:%M"),
                           initial=dt.time(8, 0), help_text=_("hh:mm, ví dụ 08:00"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False, widget=forms.TextInput(attrs={"size": 60}))
    chair = forms.ChoiceField(label=_("Người chủ trì"), required=False)
    chair_name = forms.CharField(label=_("hoặc họ tên người chủ trì mới"), max_length=150, required=False)
    chair_title = forms.CharField(label=_("Chức vụ người chủ trì"), max_length=200, required=False)
    committee = forms.ChoiceField(label=_("Ban chỉ đạo tổ chức"), required=False)
    programs = forms.MultipleChoiceField(label=_("Chương trình liên quan"), required=False, widget=forms.CheckboxSelectMultiple)
    organizations = forms.MultipleChoiceField(label=_("Tổ chức được mời"), required=False, widget=forms.CheckboxSelectMultiple)
    witnesses = forms.CharField(label=_("Đại biểu chứng kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Công khai (mọi người dùng đều xem được)"), required=False)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = person_choices()
        self.fields["committee"].choices = [("", gettext("— không —"))] + [
            (str(c.pk), f"{c.name} ({_span(c.valid_from, c.valid_to)})" if _span(c.valid_from, c.valid_to) else c.name)
            for c in SteeringCommittee.objects.order_by("name", "id")
        ]
        self.fields["programs"].choices = [(str(p.pk), f"{p.title} ({p.phase_label})") for p in (programs or [])]
        self.fields["organizations"].choices = organization_choices()

    @staticmethod
    def initial_for(event: Event) -> dict:
        local = timezone.localtime(event.starts_at)
        return {
            "kind": event.kind, "title": event.title, "date": local.date(), "time": local.time().replace(second=0, microsecond=0),
            "place": event.place, "chair": str(event.chair_id or ""), "chair_title": event.chair_title,
            "committee": str(event.committee_id or ""), "programs": [str(i) for i in event.programs.values_list("pk", flat=True)],
            "organizations": [str(i) for i in event.organizations.values_list("pk", flat=True)],
            "witnesses": event.witnesses, "is_public": event.is_public,
        }

    def starts_at(self) -> dt.datetime:
        moment = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(moment, timezone.get_current_timezone())


class HeldForm(forms.Form):
    held_on = date_field(_("Ngày đã tổ chức"), help_text=_("dd/mm/yyyy"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    attendees = forms.CharField(label=_("Thành phần tham dự"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=EventAttachment.Kind.choices)
    file = forms.FileField(label=_("Tệp"), required=False, help_text=_("JPG, PNG, PDF hoặc DOCX, tối đa 10 MB."))
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)


class MemberForm(forms.Form):
    person = forms.ChoiceField(label=_("Cá nhân"), required=False)
    person_name = forms.CharField(label=_("hoặc họ tên người mới"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=CommitteeMember.Role.choices)
    organization = forms.ChoiceField(label=_("Đơn vị công tác"), required=False)
    valid_from = date_field(_("Nhiệm kỳ từ ngày"), required=False, help_text=_("dd/mm/yyyy"))
    valid_to = date_field(_("đến ngày"), required=False, help_text=_("dd/mm/yyyy; để trống nếu chưa kết thúc."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices()
        self.fields["organization"].choices = [("", gettext("— không —"))] + organization_choices()

    @staticmethod
    def initial_for(member: CommitteeMember) -> dict:
        return {"person": str(member.person_id), "role": member.role, "organization": str(member.organization_id or ""),
                "valid_from": member.valid_from, "valid_to": member.valid_to}


class EndTermForm(forms.Form):
    valid_to = date_field(_("Ngày kết thúc nhiệm kỳ"), required=False, help_text=_("dd/mm/yyyy"))
