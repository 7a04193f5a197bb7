"""The standing office runs its steering committee and its events from pages (issue 14, point 1):
members and terms, planning an event, recording it as held or cancelling it, attachments.

org_a is the standing office of the committee; `manager` is its committee administrator,
`approver` and `viewer` belong to it with lower roles; `outsider` (org_b) is a stranger to the
committee's non-public events."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop import factories as f
from phoihop.audit.models import AuditEntry
from phoihop.hardening.corpus import ATTACHMENT_CASES, real_pdf
from phoihop.organizations.models import Person
from phoihop.programs import events
from phoihop.programs.models import (
    CommitteeMember,
    Event,
    EventAttachment,
    EventStatus,
    SteeringCommittee,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committee(org_a):
    return SteeringCommittee.objects.create(name="Ban chỉ đạo Thử", standing_office=org_a, valid_from=dt.date(2019, 1, 1))


@pytest.fixture
def planned(committee):
    return f.EventFactory(title="Sơ kết năm 2025", committee=committee, status=EventStatus.PLANNED,
                          starts_at=dt.datetime(2025, 12, 20, 1, 0, tzinfo=dt.UTC), place="Hội trường A")


def _entries(obj, action=None):
    qs = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def _event_form(steering, /, **extra):
    data = {"kind": "interim_review", "title": "Sơ kết 6 tháng đầu năm 2027", "date": "15/07/2027", "time": "08:30",
            "place": "Hội trường Ban CHQS", "chair": "", "chair_name": "", "chair_title": "",
            "committee": str(steering.pk), "witnesses": ""}
    data.update(extra)
    return data


# ---------------------------------------------------------------- members


@pytest.mark.django_db
def test_the_standing_office_adds_a_member_new_by_name(client, manager, committee, org_b):
    client.force_login(manager)
    page = client.get(reverse("programs:committee", args=[committee.pk])).content.decode()
    assert reverse("programs:committee_member_add", args=[committee.pk]) in page
    response = client.post(reverse("programs:committee_member_add", args=[committee.pk]), {
        "person": "", "person_name": "Trần Văn Mới", "role": "deputy", "organization": str(org_b.pk),
        "valid_from": "01/07/2025", "valid_to": ""})
    assert response.status_code == 302
    member = CommitteeMember.objects.get(committee=committee)
    assert (member.person.full_name, member.role, member.organization, member.valid_from, member.valid_to) == (
        "Trần Văn Mới", "deputy", org_b, dt.date(2025, 7, 1), None)
    assert _entries(member, "create").exists()
    page = client.get(reverse("programs:committee", args=[committee.pk])).content.decode()
    assert "Trần Văn Mới" in page and "Phó Trưởng ban" in page


@pytest.mark.django_db
def test_the_organisation_picker_tells_two_bodies_of_the_same_name_apart(client, manager, committee, org_a):
    old = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh", valid_from=dt.date(1997, 1, 1), valid_to=dt.date(2025, 6, 30))
    new = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh", valid_from=dt.date(2025, 7, 1))
    f.ParentLinkFactory(child=new, parent=org_a)
    client.force_login(manager)
    page = client.get(reverse("programs:committee_member_add", args=[committee.pk])).content.decode()
    assert f'value="{old.pk}">Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh — hiệu lực 01/01/1997 – 30/06/2025<' in page
    assert f'value="{new.pk}">Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh — thuộc Ban CHQS — hiệu lực 01/07/2025 – …<' in page


@pytest.mark.django_db
def test_member_bad_input_is_refused_in_vietnamese_and_what_was_typed_stays(client, manager, committee, org_b):
    person = f.PersonFactory(full_name="Lê Thị Có Sẵn")
    client.force_login(manager)
    url = reverse("programs:committee_member_add", args=[committee.pk])
    response = client.post(url, {"person": str(person.pk), "person_name": "Ai Đó", "role": "member", "organization": "",
                                 "valid_from": "31/02/2025", "valid_to": ""})
    assert response.status_code == 422
    assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in response.content.decode()
    response = client.post(url, {"person": str(person.pk), "person_name": "Ai Đó", "role": "member", "organization": "",
                                 "valid_from": "01/01/2025", "valid_to": "01/01/2024"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Chọn một người có sẵn hoặc nhập họ tên người mới, không cả hai." in page
    assert "Ngày kết thúc nhiệm kỳ phải sau hoặc bằng ngày bắt đầu." in page
    assert 'value="01/01/2025"' in page and 'value="01/01/2024"' in page and 'value="Ai Đó"' in page
    response = client.post(url, {"person": "", "person_name": "", "role": "member", "organization": "",
                                 "valid_from": "", "valid_to": ""})
    page = response.content.decode()
    assert "Hãy chọn một người có sẵn hoặc nhập họ tên người mới." in page
    assert "Hãy nhập ngày bắt đầu nhiệm kỳ (dd/mm/yyyy)." in page
    assert not CommitteeMember.objects.exists()
    assert not Person.objects.filter(full_name="Ai Đó").exists()


@pytest.mark.django_db
def test_a_member_of_a_body_that_ended_before_the_term_is_refused(client, manager, committee):
    ended = f.OrganizationFactory(name="Hội Đã Giải thể", valid_to=dt.date(2025, 6, 30))
    person = f.PersonFactory()
    with pytest.raises(ValidationError) as info:
        events.add_member(committee, events.MemberInput(role="member", person=person.pk, organization=ended.pk,
                                                        valid_from=dt.date(2025, 7, 1)), manager)
    assert "đã hết hiệu lực ngày 30/06/2025" in " ".join(info.value.messages)
    events.add_member(committee, events.MemberInput(role="member", person=person.pk, valid_from=dt.date(2025, 7, 1)), manager)
    with pytest.raises(ValidationError) as info:
        events.add_member(committee, events.MemberInput(role="head", person=person.pk, valid_from=dt.date(2026, 1, 1)), manager)
    assert "đã là thành viên ban chỉ đạo trong thời gian này" in " ".join(info.value.messages)


@pytest.mark.django_db
def test_edit_a_member_and_end_the_term_keeping_the_history(client, manager, committee, org_a):
    person = f.PersonFactory(full_name="Phạm Văn Nhiệm")
    member = CommitteeMember.objects.create(committee=committee, person=person, role="member", valid_from=dt.date(2024, 1, 1))
    client.force_login(manager)
    response = client.get(reverse("programs:committee_member_edit", args=[member.pk]))
    assert 'value="01/01/2024"' in response.content.decode()
    response = client.post(reverse("programs:committee_member_edit", args=[member.pk]), {
        "person": str(person.pk), "person_name": "", "role": "secretary", "organization": str(org_a.pk),
        "valid_from": "01/01/2024", "valid_to": ""})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.organization) == ("secretary", org_a)

    url = reverse("programs:committee_member_end", args=[member.pk])
    response = client.post(url, {"valid_to": "31/12/2023"})
    assert response.status_code == 422
    assert "Ngày kết thúc nhiệm kỳ phải sau hoặc bằng ngày bắt đầu (01/01/2024)." in response.content.decode()
    assert client.post(url, {"valid_to": ""}).status_code == 422
    response = client.post(url, {"valid_to": "30/06/2025"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.valid_to == dt.date(2025, 6, 30)
    assert CommitteeMember.objects.filter(pk=member.pk).exists()  # never deleted
    assert _entries(member, "update").count() == 2
    # A past member is listed apart; their term cannot be ended twice.
    page = client.get(reverse("programs:committee", args=[committee.pk])).content.decode()
    current, past = page.split("Thành viên các nhiệm kỳ trước")
    assert "Phạm Văn Nhiệm" not in current.split('class="members-current"')[1] and "Phạm Văn Nhiệm" in past
    response = client.post(url, {"valid_to": "01/07/2025"})
    assert "Nhiệm kỳ này đã kết thúc ngày 30/06/2025." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["approver", "viewer", "outsider"])
def test_only_the_standing_office_manager_changes_members(client, people, committee, who):
    member = CommitteeMember.objects.create(committee=committee, person=f.PersonFactory(), valid_from=dt.date(2024, 1, 1))
    client.force_login(people[who])
    assert client.get(reverse("programs:committee_member_add", args=[committee.pk])).status_code == 403
    assert client.post(reverse("programs:committee_member_add", args=[committee.pk]), {
        "person_name": "Kẻ Lạ", "role": "head", "valid_from": "01/01/2025"}).status_code == 403
    assert client.post(reverse("programs:committee_member_edit", args=[member.pk]), {
        "person": str(member.person_id), "role": "head", "valid_from": "01/01/2024"}).status_code == 403
    assert client.post(reverse("programs:committee_member_end", args=[member.pk]), {"valid_to": "01/01/2025"}).status_code == 403
    member.refresh_from_db()
    assert (member.role, member.valid_to) == ("member", None)
    assert CommitteeMember.objects.count() == 1
    assert "Thêm thành viên" not in client.get(reverse("programs:committee", args=[committee.pk])).content.decode()


# ---------------------------------------------------------------- events


@pytest.mark.django_db
def test_plan_an_event_then_edit_it(client, manager, committee, org_b):
    program = f.ProgramFactory(code="ct-thu", title="Chương trình Thử")
    f.PartyFactory(program=program, organization=committee.standing_office)
    client.force_login(manager)
    assert client.get(reverse("programs:event_create") + f"?ban={committee.pk}").status_code == 200
    response = client.post(reverse("programs:event_create"), _event_form(
        committee, programs=[str(program.pk)], organizations=[str(org_b.pk)], chair_name="Nguyễn Văn Chủ Trì",
        chair_title="Trưởng Ban chỉ đạo", is_public="on"))
    assert response.status_code == 302
    event = Event.objects.get(title="Sơ kết 6 tháng đầu năm 2027")
    assert event.status == EventStatus.PLANNED and event.is_public
    assert event.starts_at == dt.datetime(2027, 7, 15, 1, 30, tzinfo=dt.UTC)  # 08:30 in Hà Nội
    assert list(event.programs.all()) == [program] and list(event.organizations.all()) == [org_b]
    assert event.chair.full_name == "Nguyễn Văn Chủ Trì"
    assert _entries(event, "create").exists()

    page = client.get(reverse("programs:event", args=[event.pk])).content.decode()
    for url in ("event_edit", "event_held", "event_cancel"):
        assert reverse(f"programs:{url}", args=[event.pk]) in page
    form = client.get(reverse("programs:event_edit", args=[event.pk])).content.decode()
    assert 'value="15/07/2027"' in form and 'value="08:30"' in form
    response = client.post(reverse("programs:event_edit", args=[event.pk]), _event_form(
        committee, title="Sơ kết 6 tháng đầu năm 2027 (dời ngày)", date="22/07/2027", programs=[str(program.pk)]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title.endswith("(dời ngày)") and event.starts_at.date() == dt.date(2027, 7, 22)
    assert event.organizations.count() == 0 and not event.is_public


@pytest.mark.django_db
def test_event_bad_input_keeps_what_was_typed(client, manager, committee):
    client.force_login(manager)
    response = client.post(reverse("programs:event_create"), _event_form(committee, title="", date="32/13/2027", time="25:99"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in page
    assert "Giờ không hợp lệ, hãy nhập theo dạng hh:mm (ví dụ 08:30)." in page
    assert 'value="32/13/2027"' in page and 'value="Hội trường Ban CHQS"' in page
    response = client.post(reverse("programs:event_create"), _event_form(committee, title="  ", committee=""))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Tiêu đề sự kiện không được để trống." in page
    assert "Hãy chọn ban chỉ đạo tổ chức sự kiện hoặc ít nhất một chương trình liên quan." in page
    assert 'value="15/07/2027"' in page
    response = client.post(reverse("programs:event_create"), _event_form(committee, date="01/01/2150"))
    assert "phải trong khoảng 01/01/1900 - 31/12/2099" in response.content.decode()
    response = client.post(reverse("programs:event_create"), _event_form(
        committee, chair=str(f.PersonFactory().pk), chair_name="Người Mới"))
    assert "Chọn một người có sẵn hoặc nhập họ tên người mới, không cả hai." in response.content.decode()
    assert not Person.objects.filter(full_name="Người Mới").exists()
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_committee_administrator_elsewhere_cannot_file_an_event_under_this_committee(client, org_b, committee):
    other_manager = f.UserFactory(username="quan-tri-b")
    f.MembershipFactory(user=other_manager, organization=org_b, role="committee_admin")
    client.force_login(other_manager)
    assert client.get(reverse("programs:event_create")).status_code == 200
    response = client.post(reverse("programs:event_create"), _event_form(committee))
    assert response.status_code == 403
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_record_an_event_as_held(client, manager, planned):
    client.force_login(manager)
    url = reverse("programs:event_held", args=[planned.pk])
    response = client.post(url, {"held_on": "", "place": "", "attendees": "", "outcome": ""})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Hãy nhập ngày (dd/mm/yyyy)." in page
    response = client.post(url, {"held_on": "01/01/2099", "place": "", "attendees": "Các bên", "outcome": "Tốt"})
    assert "không thể sau hôm nay" in response.content.decode() and 'value="01/01/2099"' in response.content.decode()
    response = client.post(url, {"held_on": "20/12/2025", "place": "", "attendees": "Các bên", "outcome": ""})
    assert "Hãy ghi kết quả của sự kiện." in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == EventStatus.PLANNED and planned.held_on is None and planned.attendees == ""

    response = client.post(url, {"held_on": "20/12/2025", "place": "Hội trường B", "attendees": "Lãnh đạo các bên",
                                 "outcome": "Thống nhất kế hoạch năm 2027."})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.place, planned.attendees) == (
        EventStatus.HELD, dt.date(2025, 12, 20), "Hội trường B", "Lãnh đạo các bên")
    transition = _entries(planned, "transition").get()
    assert transition.changes == {"status": ["planned", "held"]}
    assert _entries(planned, "update").exists()
    # Held is final: no editing, no second recording, no cancelling.
    assert client.post(url, {"held_on": "21/12/2025", "outcome": "x"}).status_code == 422
    response = client.post(reverse("programs:event_cancel", args=[planned.pk]), {"reason": "Nhầm"})
    assert "Chỉ hủy được sự kiện đang ở trạng thái" in response.content.decode()
    response = client.post(reverse("programs:event_edit", args=[planned.pk]), _event_form(planned.committee))
    assert "Chỉ sửa được sự kiện đang ở trạng thái" in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == EventStatus.HELD and planned.title == "Sơ kết năm 2025"


@pytest.mark.django_db
def test_cancel_an_event_needs_a_reason_shown_on_its_page(client, manager, planned):
    client.force_login(manager)
    url = reverse("programs:event_cancel", args=[planned.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 422 and "Hãy ghi lý do hủy sự kiện." in response.content.decode()
    assert client.post(url, {"reason": "Trùng lịch diễn tập"}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == EventStatus.CANCELLED
    assert _entries(planned, "transition").get().note == "Trùng lịch diễn tập"
    page = client.get(reverse("programs:event", args=[planned.pk])).content.decode()
    assert "Trùng lịch diễn tập" in page and reverse("programs:event_held", args=[planned.pk]) not in page
    listing = client.get(reverse("programs:events")).content.decode()
    assert "Đã hủy" in listing


@pytest.mark.django_db
def test_the_event_list_shows_upcoming_events_first(client, manager, committee, planned):
    f.EventFactory(title="Giao ban đã họp", committee=committee, status=EventStatus.HELD, held_on=dt.date(2019, 7, 9))
    client.force_login(manager)
    page = client.get(reverse("programs:events")).content.decode()
    assert page.index('class="events-upcoming"') < page.index("Sơ kết năm 2025") < page.index('class="events-held"') \
        < page.index("Giao ban đã họp")
    assert "<h2>Sắp tới</h2>" in page
    assert "đã qua ngày, chưa ghi nhận kết quả" in page  # planned for 20/12/2025, not recorded
    assert reverse("programs:event_create") in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["approver", "viewer"])
def test_lower_roles_see_the_event_but_get_403_on_every_write(client, people, planned, who):
    client.force_login(people[who])
    page = client.get(reverse("programs:event", args=[planned.pk]))
    assert page.status_code == 200 and reverse("programs:event_edit", args=[planned.pk]) not in page.content.decode()
    assert reverse("programs:event_create") not in client.get(reverse("programs:events")).content.decode()
    assert client.get(reverse("programs:event_create")).status_code == 403
    for name in ("event_edit", "event_held", "event_cancel", "event_attachment_add"):
        assert client.get(reverse(f"programs:{name}", args=[planned.pk])).status_code == 403
    assert client.post(reverse("programs:event_cancel", args=[planned.pk]), {"reason": "x"}).status_code == 403
    planned.refresh_from_db()
    assert planned.status == EventStatus.PLANNED


@pytest.mark.django_db
def test_another_organisations_non_public_event_is_404(client, outsider, planned):
    attachment = events.add_attachment(planned, SimpleUploadedFile("bien-ban.pdf", real_pdf()), "minutes", "", _admin())
    client.force_login(outsider)
    assert client.get(reverse("programs:event", args=[planned.pk])).status_code == 404
    for name in ("event_edit", "event_held", "event_cancel", "event_attachment_add"):
        assert client.get(reverse(f"programs:{name}", args=[planned.pk])).status_code == 404
    assert client.get(reverse("programs:event_attachment", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("programs:event_attachment_remove", args=[attachment.pk])).status_code == 404
    assert EventAttachment.objects.filter(pk=attachment.pk).exists()


def _admin():
    return f.UserFactory(username="he-thong", is_superuser=True)


# ---------------------------------------------------------------- attachments


@pytest.mark.django_db
def test_upload_minutes_and_download_them_with_their_vietnamese_name(client, manager, viewer, planned):
    client.force_login(manager)
    content = real_pdf()
    response = client.post(reverse("programs:event_attachment_add", args=[planned.pk]), {
        "kind": "minutes", "caption": "Biên bản hội nghị", "file": SimpleUploadedFile("Biên bản sơ kết.pdf", content, "text/html")})
    assert response.status_code == 302
    attachment = EventAttachment.objects.get()
    assert (attachment.kind, attachment.content_type, attachment.size) == ("minutes", "application/pdf", len(content))
    assert _entries(attachment, "create").exists()

    client.force_login(viewer)
    page = client.get(reverse("programs:event", args=[planned.pk])).content.decode()
    assert reverse("programs:event_attachment", args=[attachment.pk]) in page and "Biên bản hội nghị" in page
    response = client.get(reverse("programs:event_attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Biên_bản_sơ_kết.pdf" in unquote(disposition.split("filename*=utf-8''")[1])


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["html-named-jpg", "pdf-header-only", "pdf-with-javascript", "exe-file"])
def test_a_fake_file_is_refused_with_the_activity_attachments_message(client, manager, planned, case):
    name, build, fragment = ATTACHMENT_CASES[case]
    client.force_login(manager)
    response = client.post(reverse("programs:event_attachment_add", args=[planned.pk]), {
        "kind": "minutes", "caption": "Biên bản", "file": SimpleUploadedFile(name, build(), "application/pdf")})
    assert response.status_code == 422
    assert fragment in response.content.decode()
    assert not EventAttachment.objects.exists()


@pytest.mark.django_db
def test_missing_file_and_cancelled_event_are_refused(client, manager, planned):
    client.force_login(manager)
    url = reverse("programs:event_attachment_add", args=[planned.pk])
    response = client.post(url, {"kind": "photo", "caption": ""})
    assert response.status_code == 422 and "Hãy chọn tệp để tải lên." in response.content.decode()
    events.cancel_event(planned, "Hoãn", manager)
    response = client.post(url, {"kind": "photo", "file": SimpleUploadedFile("bien-ban.pdf", real_pdf())})
    assert "Sự kiện đã hủy; không thêm tệp được." in response.content.decode()
    assert not EventAttachment.objects.exists()


@pytest.mark.django_db
def test_remove_an_attachment(client, manager, viewer, planned, settings, django_capture_on_commit_callbacks):
    attachment = events.add_attachment(planned, SimpleUploadedFile("anh.pdf", real_pdf()), "photo", "", manager)
    stored = settings.MEDIA_ROOT / attachment.file.name
    assert stored.is_file()
    client.force_login(viewer)
    assert client.post(reverse("programs:event_attachment_remove", args=[attachment.pk])).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("programs:event_attachment_remove", args=[attachment.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("programs:event_attachment_remove", args=[attachment.pk])).status_code == 302
    assert not EventAttachment.objects.exists()
    assert not stored.exists()
    assert _entries(attachment, "delete").exists()
