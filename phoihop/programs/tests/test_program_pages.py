"""Issue 14 point 1: the standing office runs a program from its own pages — create it blank or as
the successor of another (a dissolved party replaced by its successor, targets copied as drafts),
edit it while draft, move it draft → signed → in force → ended with a reason, pick organisations
told apart by parent and validity. Every write goes through programs.services; others get 403/404."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from phoihop import factories as f
from phoihop.audit.models import AuditEntry
from phoihop.organizations.models import OrganizationSuccession
from phoihop.programs import services
from phoihop.programs.models import (
    ContentArea,
    InvitationState,
    PartyInvitation,
    Program,
    ProgramStatus,
    Responsibility,
    SteeringCommittee,
)
from phoihop.reporting.models import Indicator, Target

pytestmark = pytest.mark.django_db
D = dt.date


def _entries(obj, action=None):
    qs = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


@pytest.fixture
def world(org_a, org_b, manager):
    """A demo-like world: the standing office org_a (its committee administrator `manager`) steers
    the 2019–2023 program with org_b and a party board dissolved on 01/01/2024 (merged into a new
    board); two women's unions of the same name, before and after the 2025 merger."""
    city_party = f.OrganizationFactory(name="Thành ủy Thử", kind="party_committee")
    old_board = f.OrganizationFactory(name="Ban Dân vận Thành ủy Thử", short_name="Ban Dân vận", kind="party_board",
                                      valid_to=D(2023, 12, 31))
    new_board = f.OrganizationFactory(name="Ban Tuyên giáo và Dân vận Thành ủy Thử", short_name="Ban TG&DV",
                                      kind="party_board", valid_from=D(2024, 1, 1))
    f.ParentLinkFactory(child=new_board, parent=city_party)
    OrganizationSuccession.objects.create(predecessor=old_board, successor=new_board, kind="merged", effective=D(2024, 1, 1))
    front = f.OrganizationFactory(name="Ủy ban MTTQ tỉnh Thử", kind="fatherland_front")
    union_old = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ tỉnh Thử", valid_to=D(2025, 6, 30))
    union_new = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ tỉnh Thử", valid_from=D(2025, 7, 1))
    f.ParentLinkFactory(child=union_new, parent=front, valid_from=D(2025, 7, 1))
    OrganizationSuccession.objects.create(predecessor=union_old, successor=union_new, kind="merged", effective=D(2025, 7, 1))

    pred = f.ProgramFactory(code="ct-2019", title="Chương trình phối hợp giai đoạn 2019 - 2023",
                            start=D(2019, 7, 9), end=D(2023, 12, 31), purpose="Mục đích cũ", meeting_cadence="6 tháng",
                            two_level_approval=True)
    p_office = f.PartyFactory(program=pred, organization=org_a, role="lead", order=0, document_number="15")
    p_board = f.PartyFactory(program=pred, organization=old_board, role="lead", order=1)
    p_union = f.PartyFactory(program=pred, organization=org_b, role="member", order=2)
    gratitude, recruitment = ContentArea.objects.get(code="gratitude"), ContentArea.objects.get(code="recruitment")
    pred.content_areas.set([gratitude, recruitment])
    Responsibility.objects.create(program=pred, party=p_office, content_area=recruitment, level="lead")
    Responsibility.objects.create(program=pred, party=p_board, content_area=gratitude, level="lead", text="Tuyên truyền")
    Responsibility.objects.create(program=pred, party=p_union, content_area=gratitude, level="support")
    committee = SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a)
    committee.programs.add(pred)
    enlisted, houses = Indicator.objects.get(code="recruit_enlisted"), Indicator.objects.get(code="gratitude_houses")
    Target.objects.create(program=pred, organization=org_a, indicator=enlisted, year=2020, value=Decimal(100))
    Target.objects.create(program=pred, organization=org_a, indicator=enlisted, year=2023, value=Decimal(120))
    Target.objects.create(program=pred, organization=old_board, indicator=houses, year=2021, value=Decimal(5))
    Target.objects.create(program=pred, organization=org_b, indicator=houses, year=None, value=Decimal(50))
    return {"pred": pred, "old_board": old_board, "new_board": new_board, "union_old": union_old, "union_new": union_new,
            "front": front, "committee": committee, "enlisted": enlisted, "houses": houses, "city_party": city_party}


def _successor(client, manager, world):
    client.force_login(manager)
    return client.post("/chuong-trinh/ct-2019/giai-doan-tiep-theo/", {
        "code": "ct-2024", "title": "Chương trình phối hợp giai đoạn 2024 - 2028",
        "start": "01/01/2024", "end": "31/12/2028",
    }, follow=True)


# ---------------------------------------------------------------- create

def test_create_a_blank_program(client, manager, org_a):
    client.force_login(manager)
    assert 'id="create-program"' in client.get("/chuong-trinh/").content.decode()
    page = client.get("/chuong-trinh/tao-moi/")
    assert page.status_code == 200 and "Tạo chương trình phối hợp" in page.content.decode()
    reserved = client.post("/chuong-trinh/tao-moi/", {"code": "tao-moi", "title": "X", "kind": "program",
                                                      "start": "01/01/2024", "end": "31/12/2028", "first_party": org_a.pk})
    assert reserved.status_code == 422 and "Không dùng được mã chương trình" in reserved.content.decode()
    response = client.post("/chuong-trinh/tao-moi/", {
        "code": "ct-moi", "title": "Chương trình phối hợp mới", "kind": "program", "start": "01/01/2024",
        "end": "31/12/2028", "content_areas": ["gratitude"], "two_level_approval": "on", "first_party": org_a.pk,
    })
    assert response.status_code == 302 and response["Location"] == "/chuong-trinh/ct-moi/sua/"
    program = Program.objects.get(code="ct-moi")
    assert program.status == ProgramStatus.DRAFT and program.two_level_approval
    assert list(program.parties.values_list("organization_id", "role")) == [(org_a.pk, "lead")]
    assert _entries(program, "create").exists()


def test_a_bad_date_is_refused_in_vietnamese(client, manager, org_a):
    client.force_login(manager)
    response = client.post("/chuong-trinh/tao-moi/", {"code": "ct-x", "title": "X", "kind": "program",
                                                      "start": "31/02/2024", "end": "31/12/2028", "first_party": org_a.pk})
    assert response.status_code == 422 and "Ngày không hợp lệ" in response.content.decode()
    assert not Program.objects.filter(code="ct-x").exists()


# ---------------------------------------------------------------- successor

def test_successor_replaces_a_dissolved_party_and_copies_the_program(client, manager, org_a, org_b, world):
    client.force_login(manager)
    detail = client.get("/chuong-trinh/ct-2019/").content.decode()
    assert "Lập chương trình giai đoạn tiếp theo" in detail
    preview = client.get("/chuong-trinh/ct-2019/giai-doan-tiep-theo/").content.decode()
    assert "Ban Dân vận Thành ủy Thử đã giải thể từ 01/01/2024" in preview
    # The next phase proposed: the day after the end, as many calendar years, the years in the title moved.
    assert 'value="Chương trình phối hợp giai đoạn 2024 - 2028"' in preview
    assert 'value="01/01/2024"' in preview and 'value="31/12/2028"' in preview

    response = _successor(client, manager, world)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/chuong-trinh/ct-2024/"
    note = "Ban Dân vận Thành ủy Thử đã giải thể từ 01/01/2024, thay bằng tổ chức kế thừa: Ban Tuyên giáo và Dân vận Thành ủy Thử"
    assert note in page  # the message on the result page
    new = Program.objects.get(code="ct-2024")
    assert new.status == ProgramStatus.DRAFT and new.two_level_approval and new.purpose == "Mục đích cũ"
    assert list(new.predecessors.values_list("code", flat=True)) == ["ct-2019"]
    assert set(new.content_areas.values_list("code", flat=True)) == {"gratitude", "recruitment"}
    assert list(new.parties.values_list("organization_id", "role")) == [(org_a.pk, "lead")]
    invited = set(new.invitations.filter(state=InvitationState.PENDING).values_list("organization_id", flat=True))
    assert invited == {world["new_board"].pk, org_b.pk}  # the dissolved board is not asked, its successor is
    assert list(new.responsibilities.values_list("party__organization_id", "content_area__code", "level")) == [
        (org_a.pk, "recruitment", "lead")]
    assert new in world["committee"].programs.all()
    assert any(note in str(e.changes) for e in _entries(new, "relation"))  # and in the program's history
    assert note in client.get("/chuong-trinh/ct-2024/").content.decode()  # the history on its page, no message now

    # The successor board accepts: it takes the responsibility its predecessor held.
    board_admin = f.UserFactory(username="board_admin")
    f.MembershipFactory(user=board_admin, organization=world["new_board"], role="committee_admin")
    invitation = PartyInvitation.objects.get(program=new, organization=world["new_board"])
    services.answer_invitation(invitation, board_admin, True)
    assert Responsibility.objects.filter(program=new, party__organization=world["new_board"], content_area__code="gratitude",
                                         level="lead", text="Tuyên truyền").exists()


def test_a_party_dissolved_during_the_new_phase_stays_and_its_successor_joins(client, manager, org_a, world):
    """The 2025 reorganisation inside a 2024–2028 phase: the old union is a party for the time it
    exists, its successor is asked to carry the program on, and the page and the history say so."""
    p_union_old = f.PartyFactory(program=world["pred"], organization=world["union_old"], role="member", order=3)
    Responsibility.objects.create(program=world["pred"], party=p_union_old, content_area=ContentArea.objects.get(code="gratitude"),
                                  level="support")
    Target.objects.create(program=world["pred"], organization=world["union_old"], indicator=world["houses"], year=2019,
                          value=Decimal(7))
    client.force_login(manager)
    preview = client.get("/chuong-trinh/ct-2019/giai-doan-tiep-theo/").content.decode()
    note = ("Hội Liên hiệp Phụ nữ tỉnh Thử giải thể từ 01/07/2025, trong giai đoạn mới: là bên tham gia đến ngày đó; "
            "tổ chức kế thừa tiếp nối từ ngày đó: Hội Liên hiệp Phụ nữ tỉnh Thử")
    assert note in preview
    page = _successor(client, manager, world).content.decode()
    assert note in page
    new = Program.objects.get(code="ct-2024")
    invited = set(new.invitations.values_list("organization_id", flat=True))
    assert {world["union_old"].pk, world["union_new"].pk} <= invited
    assert any(note in str(e.changes) for e in _entries(new, "relation"))
    # Its own target stays with it (it is still a party in 2024); nothing is split or lost.
    assert Target.objects.filter(program=new, organization=world["union_old"], year=2024, is_draft=True).exists()
    # The old union takes its responsibility when it accepts, and so does its successor.
    for org, name in ((world["union_old"], "old_admin"), (world["union_new"], "new_admin")):
        admin = f.UserFactory(username=name)
        f.MembershipFactory(user=admin, organization=org, role="committee_admin")
        services.answer_invitation(PartyInvitation.objects.get(program=new, organization=org), admin, True)
        assert Responsibility.objects.filter(program=new, party__organization=org, content_area__code="gratitude").exists()


def test_targets_are_copied_as_drafts_and_saving_the_page_reviews_them(client, manager, org_a, org_b, world):
    _successor(client, manager, world)
    new = Program.objects.get(code="ct-2024")
    copied = set(Target.objects.filter(program=new).values_list("organization_id", "indicator_id", "year", "value", "is_draft"))
    assert copied == {
        (org_a.pk, world["enlisted"].pk, 2024 + 1, Decimal(100), True),  # 2020 moved by 2024 - 2019
        (org_a.pk, world["enlisted"].pk, 2028, Decimal(120), True),
        (world["new_board"].pk, world["houses"].pk, 2026, Decimal(5), True),  # the dissolved board's, to its successor
        (org_b.pk, world["houses"].pk, None, Decimal(50), True),  # a phase target as it is
    }
    assert Target.objects.filter(program=world["pred"], is_draft=False).count() == 4  # the predecessor's untouched

    page = client.get("/bao-cao/chi-tieu/ct-2024/?nam=2025").content.decode()
    assert "chỉ tiêu dự thảo chép từ chương trình trước" in page and 'class="draft-target"' in page
    saved = client.post("/bao-cao/chi-tieu/ct-2024/?nam=2025", {f"t-{org_a.pk}-{world['enlisted'].pk}": "100"})
    assert saved.status_code == 302
    assert not Target.objects.get(program=new, organization=org_a, year=2025).is_draft
    assert Target.objects.get(program=new, organization=org_a, year=2028).is_draft  # another year, not reviewed yet
    assert 'class="draft-target"' not in client.get("/bao-cao/chi-tieu/ct-2024/?nam=2025").content.decode()


def test_only_a_manager_of_the_predecessor_makes_its_successor(client, approver, viewer, outsider, world, draft_program):
    client.force_login(approver)
    assert client.get("/chuong-trinh/ct-2019/giai-doan-tiep-theo/").status_code == 403
    assert "Lập chương trình giai đoạn tiếp theo" not in client.get("/chuong-trinh/ct-2019/").content.decode()
    assert client.post("/chuong-trinh/ct-2019/giai-doan-tiep-theo/", {
        "code": "ct-2024", "title": "T", "start": "01/01/2024", "end": "31/12/2028"}).status_code == 403
    assert not Program.objects.filter(code="ct-2024").exists()
    client.force_login(outsider)
    assert client.get(f"/chuong-trinh/{draft_program.code}/giai-doan-tiep-theo/").status_code == 404


# ---------------------------------------------------------------- edit

def _edit_form(program, **change):
    body = {"code": program.code, "title": program.title, "kind": program.kind, "start": program.start.strftime("%d/%m/%Y"),
            "end": program.end.strftime("%d/%m/%Y") if program.end else "",
            "content_areas": list(program.content_areas.values_list("code", flat=True))}
    for party in program.parties.select_related("signatory"):
        prefix = f"p{party.organization_id}"
        body.update({f"{prefix}-role": party.role, f"{prefix}-document_number": party.document_number,
                     f"{prefix}-document_symbol": party.document_symbol, f"{prefix}-signing_prefix": party.signing_prefix,
                     f"{prefix}-signatory_name": party.signatory.full_name if party.signatory else "",
                     f"{prefix}-signatory_title": party.signatory_title})
    body.update(change)
    return body


def test_edit_a_draft(client, manager, org_a, org_b, draft_program):
    client.force_login(manager)
    page = client.get(f"/chuong-trinh/{draft_program.code}/sua/").content.decode()
    assert "báo cáo qua hai cấp duyệt" in page.lower() and "cơ quan thường trực duyệt" in page  # the flag and its help
    body = _edit_form(draft_program, title="Tên mới", two_level_approval="on", content_areas=["gratitude", "recruitment"],
                      purpose="Mục đích mới", meeting_cadence="Quý một lần", review_schedule="Sơ kết hằng năm",
                      add_org=["", str(org_b.pk)], add_role="member",
                      **{f"p{org_a.pk}-document_number": "15", f"p{org_a.pk}-document_symbol": "CTPH-BCHQS",
                         f"p{org_a.pk}-signatory_name": "Lê Minh Đức", f"p{org_a.pk}-signatory_title": "Chỉ huy trưởng",
                         f"r-{org_a.pk}-gratitude": "lead"})
    response = client.post(f"/chuong-trinh/{draft_program.code}/sua/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get(pk=draft_program.pk)
    assert (program.title, program.two_level_approval, program.purpose, program.meeting_cadence) == (
        "Tên mới", True, "Mục đích mới", "Quý một lần")
    party = program.parties.get(organization=org_a)
    assert (party.document_number, party.document_symbol, party.signatory.full_name, party.signatory_title) == (
        "15", "CTPH-BCHQS", "Lê Minh Đức", "Chỉ huy trưởng")
    assert list(program.responsibilities.values_list("party__organization_id", "content_area__code", "level")) == [
        (org_a.pk, "gratitude", "lead")]
    assert program.invitations.filter(organization=org_b, state=InvitationState.PENDING).exists()  # not its own: invited
    pending = client.get(f"/chuong-trinh/{program.code}/sua/").content.decode()
    assert f"<li>{org_b.name} — hiệu lực … – …</li>" in pending[pending.index('id="pending-invitations"'):]
    assert _entries(program, "update").exists() and _entries(party, "update").exists()

    # Taking a content area out takes its responsibilities with it.
    body = _edit_form(program, content_areas=["recruitment"])
    assert client.post(f"/chuong-trinh/{program.code}/sua/", body).status_code == 302
    assert not program.responsibilities.exists()


def test_a_dissolved_body_is_refused_with_its_successor_suggested(client, manager, world, draft_program):
    draft_program.start, draft_program.end = D(2024, 1, 1), D(2028, 12, 31)
    draft_program.save()
    client.force_login(manager)
    body = _edit_form(draft_program, add_org=[str(world["old_board"].pk)])
    response = client.post(f"/chuong-trinh/{draft_program.code}/sua/", body)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ban Dân vận Thành ủy Thử đã giải thể từ 01/01/2024; tổ chức kế thừa: Ban Tuyên giáo và Dân vận Thành ủy Thử" in page
    assert not draft_program.invitations.exists() and draft_program.parties.count() == 1
    # The service says so to every caller (the API too).
    data = services.ProgramInput(code="ct-y", title="Y", start=D(2026, 1, 1), end=D(2030, 12, 31),
                                 parties=[services.PartyInput(world["union_old"].pk)])
    with pytest.raises(services.ValidationError) as refused:
        services.create_program(data, manager)
    assert "đã giải thể từ 01/07/2025; tổ chức kế thừa: Hội Liên hiệp Phụ nữ tỉnh Thử (hiệu lực 01/07/2025 – …)" in str(refused.value)


def test_only_drafts_are_edited_and_only_by_managers(client, manager, approver, outsider, draft_program, world):
    client.force_login(approver)
    assert client.get(f"/chuong-trinh/{draft_program.code}/sua/").status_code == 403
    assert client.post(f"/chuong-trinh/{draft_program.code}/sua/", _edit_form(draft_program, title="Chiếm")).status_code == 403
    assert 'id="program-actions"' not in client.get(f"/chuong-trinh/{draft_program.code}/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/chuong-trinh/{draft_program.code}/sua/").status_code == 404
    assert client.get(f"/chuong-trinh/{draft_program.code}/trang-thai/signed/").status_code == 404
    assert Program.objects.get(pk=draft_program.pk).title == draft_program.title
    client.force_login(manager)
    assert 'id="program-actions"' in client.get(f"/chuong-trinh/{draft_program.code}/").content.decode()
    world["pred"].parties.update(document_number="1", signatory=f.PersonFactory(), signatory_title="Trưởng ban")
    services.change_status(world["pred"], ProgramStatus.SIGNED, manager, "Ký", D(2019, 7, 9))
    response = client.get("/chuong-trinh/ct-2019/sua/")
    assert response.status_code == 302 and response["Location"] == "/chuong-trinh/ct-2019/"


# ---------------------------------------------------------------- status

def test_status_moves_each_confirmed_with_a_reason(client, manager, org_a, draft_program):
    client.force_login(manager)
    url = f"/chuong-trinh/{draft_program.code}/trang-thai/signed/"
    page = client.get(url).content.decode()
    assert "thiếu số văn bản, họ tên người ký, chức danh người ký" in page
    no_reason = client.post(url, {"signing_date": "09/07/2019", "note": ""})
    assert no_reason.status_code == 422 and "Hãy ghi lý do chuyển trạng thái." in no_reason.content.decode()
    missing = client.post(url, {"signing_date": "09/07/2019", "note": "Ký tại hội nghị"})
    text = missing.content.decode()
    assert missing.status_code == 422
    assert "Chưa ký kết được" in text and f"{org_a.name} thiếu số văn bản, họ tên người ký, chức danh người ký" in text
    assert Program.objects.get(pk=draft_program.pk).status == ProgramStatus.DRAFT

    body = _edit_form(draft_program, **{f"p{org_a.pk}-document_number": "15", f"p{org_a.pk}-signatory_name": "Lê Minh Đức",
                                        f"p{org_a.pk}-signatory_title": "Chỉ huy trưởng"})
    assert client.post(f"/chuong-trinh/{draft_program.code}/sua/", body).status_code == 302
    assert client.post(url, {"signing_date": "", "note": "Ký"}).status_code == 422  # the signing date is required
    assert client.post(url, {"signing_date": "09/07/2019", "note": "Ký tại hội nghị"}).status_code == 302
    program = Program.objects.get(pk=draft_program.pk)
    assert (program.status, program.signing_date) == (ProgramStatus.SIGNED, D(2019, 7, 9))
    assert client.get(f"/chuong-trinh/{draft_program.code}/trang-thai/signed/").status_code == 302  # not twice
    for status, reason in (("in_force", "Triển khai"), ("ended", "Hết giai đoạn")):
        assert client.post(f"/chuong-trinh/{draft_program.code}/trang-thai/{status}/", {"note": reason}).status_code == 302
    assert Program.objects.get(pk=draft_program.pk).status == ProgramStatus.ENDED
    notes = list(_entries(program, "transition").order_by("at", "id").values_list("note", flat=True))
    assert notes == ["Ký tại hội nghị", "Triển khai", "Hết giai đoạn"]
    assert client.get(f"/chuong-trinh/{draft_program.code}/trang-thai/bogus/").status_code == 404


def test_ending_a_program_early_ends_its_phase_that_day(client, manager, org_a):
    """Ended before the end of its phase: the phase ends today (said on the confirmation page,
    recorded), so the parties stop owing reports after it (reporting.obligations)."""
    from phoihop.reporting import obligations
    from phoihop.reporting.services import get_period

    today = timezone.localdate()
    program = f.ProgramFactory(code="ct-som", status="in_force", start=D(2024, 1, 1), end=D(today.year + 3, 12, 31))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    client.force_login(manager)
    url = f"/chuong-trinh/{program.code}/trang-thai/ended/"
    page = client.get(url).content.decode()
    assert f"sẽ kết thúc ngày {today:%d/%m/%Y} thay vì ngày 31/12/{today.year + 3}" in page
    later = get_period(f"{today.year + 1}-06")
    assert obligations.Obligations([org_a]).owes(org_a, later)
    assert client.post(url, {"note": "Sáp nhập đơn vị, dừng chương trình"}).status_code == 302
    program.refresh_from_db()
    assert (program.status, program.end) == (ProgramStatus.ENDED, today)
    assert not obligations.Obligations([org_a]).owes(org_a, later)
    assert any("end" in e.changes for e in _entries(program, "update"))
    # A program ended after its phase keeps its end.
    done = f.ProgramFactory(code="ct-xong", status="in_force", start=D(2019, 1, 1), end=D(2023, 12, 31))
    f.PartyFactory(program=done, organization=org_a, role="lead")
    client.post(f"/chuong-trinh/{done.code}/trang-thai/ended/", {"note": "Hết giai đoạn"})
    done.refresh_from_db()
    assert (done.status, done.end) == (ProgramStatus.ENDED, D(2023, 12, 31))


# ---------------------------------------------------------------- the organisation picker

def test_picker_tells_same_named_bodies_apart(client, viewer, world):
    client.force_login(viewer)
    response = client.get("/chuong-trinh/to-chuc/?q=hoi lien hiep phu nu tinh thu&ngay=2024-01-01", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'name="add_org"' in html
    assert f'value="{world["union_old"].pk}"> Hội Liên hiệp Phụ nữ tỉnh Thử — hiệu lực … – 30/06/2025' in html
    assert (f'value="{world["union_new"].pk}"> Hội Liên hiệp Phụ nữ tỉnh Thử — trực thuộc Ủy ban MTTQ tỉnh Thử — '
            "hiệu lực 01/07/2025 – …") in html
    plain = client.get("/chuong-trinh/to-chuc/?q=phu nu tinh").content.decode()
    assert "<html" in plain.lower() and plain.count("Hội Liên hiệp Phụ nữ tỉnh Thử —") == 2


def test_edit_page_plain_select_names_parent_and_validity(client, manager, world, draft_program):
    client.force_login(manager)
    page = client.get(f"/chuong-trinh/{draft_program.code}/sua/").content.decode()
    assert "Ban Tuyên giáo và Dân vận Thành ủy Thử — trực thuộc Thành ủy Thử — hiệu lực 01/01/2024 – …" in page


# ---------------------------------------------------------------- admin leftovers

def test_admin_responsibilities_offer_only_this_programs_parties(client, sysadmin, world, draft_program):
    client.force_login(sysadmin)
    page = client.get(f"/quan-tri/programs/program/{world['pred'].pk}/change/").content.decode()
    start = page.index('name="responsibilities-0-party"')
    select = page[start:page.index("</select>", start)]
    offered = set(re.findall(r'<option value="(\d+)"', select))
    assert offered == {str(pk) for pk in world["pred"].parties.values_list("pk", flat=True)}
    assert str(draft_program.parties.get().pk) not in offered
    assert "Hội Liên hiệp Phụ nữ tỉnh Thử — trực thuộc Ủy ban MTTQ tỉnh Thử — hiệu lực 01/07/2025 – …" in page
