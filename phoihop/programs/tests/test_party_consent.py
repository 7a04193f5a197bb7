"""Issue 12: who may change a program is decided by the program as stored, never by the request;
an organisation becomes a party only with its consent (an invitation its committee administrator
answers); a party's committee administrator sets only its own targets; draft codes do not leak."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from phoihop import factories as f
from phoihop.accounts.models import ApiToken
from phoihop.audit.models import AuditEntry
from phoihop.programs.models import (
    ContentArea,
    InvitationState,
    PartyInvitation,
    Program,
    ProgramParty,
    ProgramStatus,
    SteeringCommittee,
)
from phoihop.reporting.models import Indicator, Target

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _send(client, method, url, payload, user):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json", **_auth(user))


def _admin_of(username, org):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, organization=org, role="committee_admin")
    return user


@pytest.fixture
def org_c(db):
    return f.OrganizationFactory(name="Đoàn Thanh niên thành phố Thử", short_name="Đoàn TN")


@pytest.fixture
def b_admin(org_b):
    return _admin_of("b_admin", org_b)


@pytest.fixture
def c_admin(org_c):
    """The attacker: committee administrator of an organisation that is party to nothing."""
    return _admin_of("c_admin", org_c)


@pytest.fixture
def signed(org_a, org_b):
    """A signed (public) program of org_a and org_b with content areas, targets, a review in
    preparation carrying org_a's contribution and a private event."""
    from phoihop.reviews.models import Contribution, Section
    from phoihop.reviews.services import ItemInput, prepare_review

    program = f.ProgramFactory(code="ct-da-ky", title="Chương trình đã ký", start=dt.date(2019, 1, 1),
                               end=dt.date(2030, 12, 31), status=ProgramStatus.SIGNED, signing_date=dt.date(2019, 1, 1))
    f.PartyFactory(program=program, organization=org_a, role="lead", order=0)
    f.PartyFactory(program=program, organization=org_b, role="member", order=1)
    program.content_areas.set(ContentArea.objects.filter(code__in=["recruitment", "gratitude"]))
    enlisted = Indicator.objects.get(code="recruit_enlisted")
    Target.objects.create(program=program, organization=org_a, indicator=enlisted, year=2020, value=Decimal(100))
    Target.objects.create(program=program, organization=org_b, indicator=enlisted, year=2020, value=Decimal(50))
    review = prepare_review(title="Sơ kết nội bộ", kind="interim", date=dt.date(2020, 6, 1), organizer=org_a, user=None,
                            items=[ItemInput(program.code, dt.date(2019, 1, 1), dt.date(2020, 6, 1))])
    Contribution.objects.create(review=review, organization=org_a, section=Section.RESULTS, text="Ý kiến riêng của Ban CHQS")
    event = f.EventFactory(title="Giao ban riêng")
    event.programs.add(program)
    program.review = review
    program.event = event
    return program


def _state(program: Program) -> dict:
    program = Program.objects.get(pk=program.pk)
    return {
        "row": {k: getattr(program, k) for k in ("code", "title", "kind", "start", "end", "status", "signing_date", "purpose")},
        "parties": sorted(program.parties.values_list("organization_id", "role", "order")),
        "areas": sorted(program.content_areas.values_list("code", flat=True)),
        "predecessors": sorted(program.predecessors.values_list("code", flat=True)),
        "targets": sorted(Target.objects.filter(program=program).values_list("organization_id", "indicator_id", "year", "value")),
        "invitations": sorted(PartyInvitation.objects.filter(program=program).values_list("organization_id", "state")),
    }


def _body(program: Program, parties: list[dict], **change) -> dict:
    return {
        "code": program.code, "title": program.title, "kind": program.kind, "start": program.start.isoformat(),
        "end": program.end.isoformat() if program.end else None, "parties": parties,
        "content_areas": sorted(program.content_areas.values_list("code", flat=True)), **change,
    }


# ---------------------------------------------------------------- the takeover

def test_a_stranger_cannot_take_over_a_program_by_naming_itself_a_party(client, signed, org_a, org_b, org_c, c_admin):
    before = _state(signed)
    review, event = signed.review, signed.event
    client.force_login(c_admin)
    assert client.get(f"/so-ket/{review.pk}/").status_code == 404
    assert client.get(f"/api/events/{event.pk}", **_auth(c_admin)).status_code == 404

    takeover = _body(signed, [{"organization": org_c.pk, "role": "lead"}], code="ct-cua-toi", end="2099-12-31",
                     content_areas=["gratitude"])
    keep_others = _body(signed, [{"organization": org_a.pk, "role": "lead"}, {"organization": org_b.pk},
                                 {"organization": org_c.pk}])
    for body in (takeover, keep_others):
        response = _send(client, "put", f"/api/programs/{signed.code}", body, c_admin)
        assert response.status_code == 403, response.content
        assert "quản trị" in response.json()["detail"]
    ended = _send(client, "post", f"/api/programs/{signed.code}/status", {"status": "ended"}, c_admin)
    assert ended.status_code == 403
    rows = [{"program": signed.code, "organization": org, "indicator": "recruit_enlisted", "year": 2020, "value": None}
            for org in (org_a.pk, org_b.pk)]
    assert _send(client, "put", "/api/targets", rows, c_admin).status_code == 403

    assert _state(signed) == before
    assert client.get(f"/so-ket/{review.pk}/").status_code == 404
    assert client.get(f"/api/events/{event.pk}", **_auth(c_admin)).status_code == 404
    assert client.get(f"/api/programs/{signed.code}", **_auth(c_admin)).json()["parties"][0]["organization"] == org_a.pk


def test_a_stranger_cannot_touch_a_draft_it_does_not_see(client, draft_program, org_a, org_c, c_admin):
    before = _state(draft_program)
    body = _body(draft_program, [{"organization": org_a.pk, "role": "lead"}, {"organization": org_c.pk}])
    assert _send(client, "put", f"/api/programs/{draft_program.code}", body, c_admin).status_code == 404
    assert _state(draft_program) == before


def test_a_partys_manager_invites_others_and_keeps_managing(client, signed, manager, org_a, org_b, org_c):
    body = _body(signed, [{"organization": org_a.pk, "role": "lead"}, {"organization": org_b.pk},
                          {"organization": org_c.pk, "role": "member"}], title="Chương trình đã ký (sửa)")
    response = _send(client, "put", f"/api/programs/{signed.code}", body, manager)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["parties_invited"] == [org_c.pk] and data["parties_added"] == [] and data["parties_removed"] == []
    assert {p["organization"] for p in data["parties"]} == {org_a.pk, org_b.pk}
    assert Program.objects.get(pk=signed.pk).title == "Chương trình đã ký (sửa)"
    invitation = PartyInvitation.objects.get(program=signed, organization=org_c)
    assert invitation.state == InvitationState.PENDING and invitation.invited_by == manager
    # Naming it again does not duplicate the invitation.
    again = _send(client, "put", f"/api/programs/{signed.code}", body, manager).json()
    assert again["parties_invited"] == [org_c.pk]
    assert PartyInvitation.objects.filter(program=signed, organization=org_c).count() == 1
    # The invitation and the edit are on the program's history.
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Program), object_id=str(signed.pk),
                                        action="relation")
    assert any(e.changes.get("parties", {}).get("invited") == [org_c.name] for e in entries)


def test_a_party_cannot_remove_every_other_party(client, signed, manager, org_a, org_b, org_c):
    before = _state(signed)
    alone = _body(signed, [{"organization": org_a.pk, "role": "lead"}])
    response = _send(client, "put", f"/api/programs/{signed.code}", alone, manager)
    assert response.status_code == 403 and "cơ quan thường trực" in response.json()["detail"]
    assert _state(signed) == before

    # With a third party left, removing one other party is the program's business, and recorded.
    f.PartyFactory(program=signed, organization=org_c, role="member", order=2)
    without_b = _body(signed, [{"organization": org_a.pk, "role": "lead"}, {"organization": org_c.pk}])
    response = _send(client, "put", f"/api/programs/{signed.code}", without_b, manager)
    assert response.status_code == 200 and response.json()["parties_removed"] == [org_b.pk]
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ProgramParty), action="delete",
                                     object_repr__contains=org_b.name, actor=manager).exists()
    # …and the last other one cannot go.
    assert _send(client, "put", f"/api/programs/{signed.code}", alone, manager).status_code == 403


def test_the_standing_office_may_change_the_parties(client, signed, org_a, org_b, org_c, c_admin):
    SteeringCommittee.objects.create(name="Ban chỉ đạo", standing_office=org_c).programs.add(signed)
    body = _body(signed, [{"organization": org_a.pk, "role": "lead"}])
    response = _send(client, "put", f"/api/programs/{signed.code}", body, c_admin)
    assert response.status_code == 200, response.content
    assert list(signed.parties.values_list("organization_id", flat=True)) == [org_a.pk]


# ---------------------------------------------------------------- new programs and invitations

def _new_program(org_a, org_b) -> dict:
    return {"code": "ct-moi", "title": "Chương trình mới", "start": "2024-01-01", "end": "2028-12-31",
            "parties": [{"organization": org_a.pk, "role": "lead"}, {"organization": org_b.pk, "document_symbol": "CTr-HPN"}],
            "content_areas": ["gratitude"]}


def test_a_new_program_binds_only_organisations_the_caller_manages(client, manager, b_admin, org_a, org_b):
    response = _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [p["organization"] for p in data["parties"]] == [org_a.pk]
    assert data["parties_added"] == [org_a.pk] and data["parties_invited"] == [org_b.pk]
    program = Program.objects.get(code="ct-moi")
    assert not program.parties.filter(organization=org_b).exists()
    invitation = PartyInvitation.objects.get(program=program, organization=org_b)

    listed = client.get("/api/invitations?state=pending", **_auth(b_admin)).json()
    assert [i["id"] for i in listed] == [invitation.pk] and listed[0]["program"] == "ct-moi"
    accepted = client.post(f"/api/invitations/{invitation.pk}/accept?note=%C4%90%E1%BB%93ng+%C3%BD", **_auth(b_admin))
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    party = program.parties.get(organization=org_b)
    assert party.document_symbol == "CTr-HPN" and party.role == "member"
    transition = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(PartyInvitation),
                                        object_id=str(invitation.pk), action="transition")
    assert transition.actor == b_admin and transition.changes == {"state": ["pending", "accepted"]}
    assert transition.note == "Đồng ý"
    # Answered once only.
    assert client.post(f"/api/invitations/{invitation.pk}/decline", **_auth(b_admin)).status_code == 422


def test_the_programs_history_says_who_was_added_and_who_invited(client, manager, org_a, org_b):
    assert _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager).status_code == 201
    client.force_login(manager)
    page = client.get("/chuong-trinh/ct-moi/").content.decode()
    assert f"Thêm bên tham gia: {org_a.name}; mời: {org_b.name}" in page


def test_a_declined_invitation_makes_no_party(client, manager, b_admin, org_a, org_b):
    _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    invitation = PartyInvitation.objects.get(program__code="ct-moi", organization=org_b)
    response = client.post(f"/api/invitations/{invitation.pk}/decline", **_auth(b_admin))
    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert not ProgramParty.objects.filter(program__code="ct-moi", organization=org_b).exists()
    assert AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(PartyInvitation),
                                     object_id=str(invitation.pk), action="transition", actor=b_admin).exists()


def test_creating_a_program_needs_one_organisation_the_caller_manages(client, c_admin, org_a, org_b):
    body = {**_new_program(org_a, org_b), "code": "ct-gia"}
    response = _send(client, "post", "/api/programs", body, c_admin)
    assert response.status_code == 403 and "ít nhất một bên" in response.json()["detail"]
    assert not Program.objects.filter(code="ct-gia").exists()
    assert not PartyInvitation.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "manager", "c_admin", "reporter"])
def test_only_the_invited_organisations_committee_administrator_answers(client, request, manager, org_a, org_b, org_c, who):
    _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    invitation = PartyInvitation.objects.get(program__code="ct-moi", organization=org_b)
    user = request.getfixturevalue(who)
    # outsider: a reporter of org_b (the invited organisation) → 403; manager: the inviting side → 403;
    # c_admin (org_c) and reporter (org_a, a party's reporter): c_admin sees nothing → 404.
    expected = {"outsider": 403, "manager": 403, "c_admin": 404, "reporter": 403}[who]
    for verb in ("accept", "decline"):
        assert client.post(f"/api/invitations/{invitation.pk}/{verb}", **_auth(user)).status_code == expected
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING
    assert not ProgramParty.objects.filter(program__code="ct-moi", organization=org_b).exists()


def test_the_inviting_side_withdraws_and_the_invited_cannot(client, manager, b_admin, org_a, org_b):
    _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    invitation = PartyInvitation.objects.get(program__code="ct-moi", organization=org_b)
    assert client.post(f"/api/invitations/{invitation.pk}/withdraw", **_auth(b_admin)).status_code == 403
    response = client.post(f"/api/invitations/{invitation.pk}/withdraw", **_auth(manager))
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert client.post(f"/api/invitations/{invitation.pk}/accept", **_auth(b_admin)).status_code == 422
    assert not ProgramParty.objects.filter(program__code="ct-moi", organization=org_b).exists()


def test_the_invitations_page_answers_for_the_invited_organisation(client, manager, b_admin, outsider, org_a, org_b):
    _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    invitation = PartyInvitation.objects.get(program__code="ct-moi", organization=org_b)
    client.force_login(outsider)  # a reporter of org_b: sees it, may not answer
    assert "Chương trình mới" in client.get("/chuong-trinh/loi-moi/").content.decode()
    assert client.post(f"/chuong-trinh/loi-moi/{invitation.pk}/tra-loi/", {"answer": "accept"}).status_code == 403
    client.force_login(b_admin)
    page = client.get("/chuong-trinh/loi-moi/").content.decode()
    assert f'id="loi-moi-{invitation.pk}"' in page and "Nhận lời" in page
    response = client.post(f"/chuong-trinh/loi-moi/{invitation.pk}/tra-loi/", {"answer": "accept", "note": "Nhất trí"})
    assert response.status_code == 302
    assert ProgramParty.objects.filter(program__code="ct-moi", organization=org_b).exists()
    again = client.post(f"/chuong-trinh/loi-moi/{invitation.pk}/tra-loi/", {"answer": "decline"}, follow=True)
    assert "đã được trả lời" in again.content.decode()
    assert ProgramParty.objects.filter(program__code="ct-moi", organization=org_b).exists()


def test_a_stranger_does_not_see_invitations(client, manager, c_admin, org_a, org_b):
    _send(client, "post", "/api/programs", _new_program(org_a, org_b), manager)
    invitation = PartyInvitation.objects.get()
    assert client.get("/api/invitations", **_auth(c_admin)).json() == []
    client.force_login(c_admin)
    assert "Chương trình mới" not in client.get("/chuong-trinh/loi-moi/").content.decode()
    assert client.post(f"/chuong-trinh/loi-moi/{invitation.pk}/tra-loi/", {"answer": "accept"}).status_code == 404


# ---------------------------------------------------------------- targets

def test_a_party_sets_only_its_own_targets(client, signed, org_a, org_b, b_admin, manager):
    enlisted = Indicator.objects.get(code="recruit_enlisted")
    before = _state(signed)
    row = {"program": signed.code, "indicator": "recruit_enlisted", "year": 2020}
    overwrite = [{**row, "organization": org_b.pk, "value": 60}, {**row, "organization": org_a.pk, "value": 1}]
    response = _send(client, "put", "/api/targets", overwrite, b_admin)
    assert response.status_code == 403 and "tổ chức mình" in response.json()["detail"]
    delete = [{**row, "organization": org_a.pk, "value": None}]
    assert _send(client, "put", "/api/targets", delete, b_admin).status_code == 403
    overall = [{**row, "organization": None, "value": 500}]
    assert _send(client, "put", "/api/targets", overall, b_admin).status_code == 403
    assert _state(signed) == before

    own = [{**row, "organization": org_b.pk, "value": 60}, {**row, "organization": org_a.pk, "value": 100}]  # org_a's unchanged
    assert _send(client, "put", "/api/targets", own, b_admin).json() == {"saved": 1, "unchanged": 1, "deleted": 0}
    assert Target.objects.get(program=signed, organization=org_b, indicator=enlisted, year=2020).value == 60

    # The page shows other parties' columns read-only and ignores a forged field for them.
    client.force_login(b_admin)
    page = client.get(f"/bao-cao/chi-tieu/{signed.code}/?nam=2020").content.decode()
    assert f'name="t-{org_b.pk}-{enlisted.pk}"' in page and f'name="t-{org_a.pk}-{enlisted.pk}"' not in page
    client.post(f"/bao-cao/chi-tieu/{signed.code}/?nam=2020", {f"t-{org_a.pk}-{enlisted.pk}": "7", f"t-{org_b.pk}-{enlisted.pk}": "60"})
    assert Target.objects.get(program=signed, organization=org_a, indicator=enlisted, year=2020).value == 100


def test_the_standing_office_sets_everyones_targets(client, signed, org_a, org_b, org_c, c_admin):
    SteeringCommittee.objects.create(name="Ban chỉ đạo", standing_office=org_c).programs.add(signed)
    row = {"program": signed.code, "indicator": "recruit_enlisted", "year": 2020}
    rows = [{**row, "organization": org_a.pk, "value": 110}, {**row, "organization": org_b.pk, "value": None},
            {**row, "organization": None, "value": 300}]
    assert _send(client, "put", "/api/targets", rows, c_admin).json() == {"saved": 2, "unchanged": 0, "deleted": 1}


def test_the_excel_import_of_a_party_names_each_refused_cell_and_writes_nothing(client, signed, org_a, org_b, b_admin):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    before = _state(signed)
    client.force_login(b_admin)
    content = client.get(f"/bao-cao/chi-tieu/{signed.code}/excel/?nam=2020").content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Chỉ tiêu"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=1).value == "recruit_enlisted")
    columns = {ws.cell(row=4, column=c).value: c for c in range(4, ws.max_column + 1)}
    ws.cell(row=row, column=columns[org_a.pk], value=1)  # org_a's target: not org_b's to set
    ws.cell(row=row, column=columns[org_b.pk], value=70)  # its own: fine, but the file is refused whole
    out = io.BytesIO()
    wb.save(out)
    response = client.post(f"/bao-cao/chi-tieu/{signed.code}/?nam=2020",
                           {"file": SimpleUploadedFile("chi-tieu.xlsx", out.getvalue())})
    assert response.status_code == 422
    coordinate = ws.cell(row=row, column=columns[org_a.pk]).coordinate
    assert f"Chỉ tiêu!{coordinate}: chỉ tiêu của tổ chức khác" in response.content.decode()
    assert _state(signed) == before


# ---------------------------------------------------------------- draft codes

def test_another_organisations_draft_code_is_not_confirmed(client, draft_program, org_b, b_admin):
    body = {"code": draft_program.code, "title": "Chương trình", "start": "2024-01-01", "end": "2025-12-31",
            "parties": [{"organization": org_b.pk, "role": "lead"}]}
    taken = _send(client, "post", "/api/programs", body, b_admin)
    reserved = _send(client, "post", "/api/programs", {**body, "code": "su-kien"}, b_admin)
    assert taken.status_code == reserved.status_code == 422
    message = taken.json()["detail"]["code"][0]
    assert message == reserved.json()["detail"]["code"][0].replace("su-kien", draft_program.code)
    assert "đã được dùng" not in message and "dự thảo" not in message

    linked = _send(client, "post", "/api/programs", {**body, "code": "ct-b", "predecessors": [draft_program.code]}, b_admin)
    assert linked.status_code == 422
    assert linked.json()["detail"]["predecessors"] == [f"Không có chương trình mã “{draft_program.code}”."]
    assert not Program.objects.filter(code="ct-b").exists()


def test_a_visible_programs_code_is_still_reported_as_used(client, signed, org_b, b_admin):
    body = {"code": signed.code, "title": "Chương trình", "start": "2024-01-01", "end": "2025-12-31",
            "parties": [{"organization": org_b.pk, "role": "lead"}]}
    response = _send(client, "post", "/api/programs", body, b_admin)
    assert response.status_code == 422 and "đã được dùng" in response.json()["detail"]["code"][0]
