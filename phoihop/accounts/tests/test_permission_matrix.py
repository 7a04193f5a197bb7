"""Every page and API route × every role → the expected status.

`outsider` (a reporter of another organisation) must get 404 for org_a's non-public objects.
The last tests fail when a route exists that this matrix does not cover.
"""

import datetime as dt
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from phoihop.accounts.models import ApiToken
from phoihop.news.tests.test_permissions import ROUTES as NEWS_ROUTES

ROLES = ["anonymous", "sysadmin", "manager", "approver", "reporter", "viewer", "outsider"]

# Expected statuses by kind of route.
PUBLIC_PAGE = {r: 200 for r in ROLES}
REDIRECT_PAGE = {r: 302 for r in ROLES}
MEMBERS_PAGE = {"anonymous": 302, **{r: 200 for r in ROLES[1:]}}
PRIVATE_PAGE = {**MEMBERS_PAGE, "outsider": 404}
MEMBERS_API = {"anonymous": 401, **{r: 200 for r in ROLES[1:]}}
PRIVATE_API = {**MEMBERS_API, "outsider": 404}
MANAGE_API = {"anonymous": 401, "sysadmin": 200, "manager": 200, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 404}
CREATE_API = {"anonymous": 401, "sysadmin": 201, "manager": 201, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 403}
MANAGE_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 403}
MANAGE_OWN_PAGE = {**MANAGE_PAGE, "outsider": 404}
APPROVER_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 403, "viewer": 403, "outsider": 403}
REPORTER_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 200, "viewer": 403, "outsider": 200}
REPORTER_OWN_PAGE = {**REPORTER_PAGE, "outsider": 404}
APPROVE_POST = {"anonymous": 302, "sysadmin": 302, "manager": 302, "approver": 302, "reporter": 403, "viewer": 403, "outsider": 404}
MANAGE_POST = {**APPROVE_POST, "approver": 403}
REPORT_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 200, "viewer": 403, "outsider": 404}
SYSADMIN_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 403, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 403}
ADMIN_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 302, "approver": 302, "reporter": 302, "viewer": 302, "outsider": 302}


def _program_body(ctx, code):
    return {
        "code": code, "title": "Chương trình dự thảo của Ban CHQS", "start": "2019-07-09", "end": "2023-12-31",
        "parties": [{"organization": ctx["org_a"].pk, "role": "lead"}],
    }


# (route name, method, path builder, body builder, expectations)
PAGES = [
    ("home", "get", lambda c: "/", None, PUBLIC_PAGE),
    ("dashboards:index", "get", lambda c: "/bang-dieu-khien/", None, REDIRECT_PAGE),
    ("dashboards:reporter", "get", lambda c: "/bang-dieu-khien/bao-cao-vien/", None, REPORTER_PAGE),
    ("dashboards:office", "get", lambda c: "/bang-dieu-khien/thuong-truc/", None, APPROVER_PAGE),
    ("dashboards:leader", "get", lambda c: f"/bang-dieu-khien/lanh-dao/?program={c['program'].code}", None, PRIVATE_PAGE),
    ("organizations:list", "get", lambda c: "/to-chuc/?as_of=2019-07-09&q=dan+van", None, MEMBERS_PAGE),
    ("organizations:detail", "get", lambda c: f"/to-chuc/{c['org_a'].pk}/", None, MEMBERS_PAGE),
    ("organizations:members", "get", lambda c: f"/to-chuc/{c['org_a'].pk}/nguoi-dung/", None, MANAGE_PAGE),
    ("programs:list", "get", lambda c: "/chuong-trinh/", None, MEMBERS_PAGE),
    ("programs:detail", "get", lambda c: f"/chuong-trinh/{c['program'].code}/", None, PRIVATE_PAGE),
    ("programs:events", "get", lambda c: "/chuong-trinh/su-kien/", None, MEMBERS_PAGE),
    ("programs:event", "get", lambda c: f"/chuong-trinh/su-kien/{c['event'].pk}/", None, PRIVATE_PAGE),
    ("programs:committees", "get", lambda c: "/chuong-trinh/ban-chi-dao/", None, MEMBERS_PAGE),
    ("programs:committee", "get", lambda c: f"/chuong-trinh/ban-chi-dao/{c['committee'].pk}/", None, MEMBERS_PAGE),
    ("programs:committee_member_add", "get", lambda c: f"/chuong-trinh/ban-chi-dao/{c['committee'].pk}/thanh-vien/them/", None, MANAGE_PAGE),
    ("programs:event_create", "get", lambda c: "/chuong-trinh/su-kien/moi/", None, MANAGE_PAGE),
    ("programs:event_edit", "get", lambda c: f"/chuong-trinh/su-kien/{c['event'].pk}/sua/", None, MANAGE_OWN_PAGE),
    ("programs:event_held", "get", lambda c: f"/chuong-trinh/su-kien/{c['event'].pk}/da-to-chuc/", None, MANAGE_OWN_PAGE),
    ("programs:event_cancel", "get", lambda c: f"/chuong-trinh/su-kien/{c['event'].pk}/huy/", None, MANAGE_OWN_PAGE),
    ("programs:event_attachment_add", "get", lambda c: f"/chuong-trinh/su-kien/{c['event'].pk}/tep/", None, MANAGE_OWN_PAGE),
    ("programs:create", "get", lambda c: "/chuong-trinh/tao-moi/", None, MANAGE_PAGE),
    ("programs:org_picker", "get", lambda c: "/chuong-trinh/to-chuc/?q=ban", None, MEMBERS_PAGE),
    ("programs:edit", "get", lambda c: f"/chuong-trinh/{c['program'].code}/sua/", None, MANAGE_OWN_PAGE),
    ("programs:successor", "get", lambda c: f"/chuong-trinh/{c['program'].code}/giai-doan-tiep-theo/", None, MANAGE_OWN_PAGE),
    ("programs:status", "get", lambda c: f"/chuong-trinh/{c['program'].code}/trang-thai/signed/", None, MANAGE_OWN_PAGE),
    ("admin", "get", lambda c: f"/quan-tri/programs/program/{c['program'].pk}/change/", None, ADMIN_PAGE),
    ("almanac:month_current", "get", lambda c: "/lich/", None, PUBLIC_PAGE),
    ("almanac:month", "get", lambda c: "/lich/2019/7/", None, PUBLIC_PAGE),
    ("almanac:commemorations", "get", lambda c: "/lich/ngay-ky-niem/", None, PUBLIC_PAGE),
    ("almanac:themes", "get", lambda c: "/lich/chu-de-nam/", None, MEMBERS_PAGE),
    ("almanac:organization_feed", "get", lambda c: f"/lich/to-chuc/{c['org_a'].pk}/lich.ics", None, MEMBERS_PAGE),
    ("almanac:focus", "get", lambda c: f"/lich/trong-tam/?program={c['program'].code}", None, PRIVATE_PAGE),
    ("almanac:program_feed", "get", lambda c: f"/lich/chuong-trinh/{c['program'].code}/lich.ics", None, PRIVATE_PAGE),
    ("almanac:commemoration_add", "get", lambda c: "/lich/ngay-ky-niem/them/", None, MANAGE_PAGE),
    ("almanac:theme_add", "get", lambda c: "/lich/chu-de-nam/them/", None, MANAGE_PAGE),
    ("almanac:commemoration_edit", "get", lambda c: f"/lich/ngay-ky-niem/{c['local_day'].pk}/sua/", None, MANAGE_OWN_PAGE),
    ("almanac:theme_edit", "get", lambda c: f"/lich/chu-de-nam/{c['theme'].pk}/sua/", None, MANAGE_OWN_PAGE),
    ("accounts:feed_tokens", "get", lambda c: "/tai-khoan/lich-rieng/", None, MEMBERS_PAGE),
    ("accounts:password_change", "get", lambda c: "/tai-khoan/doi-mat-khau/", None, MEMBERS_PAGE),
    ("accounts:feed_tokens", "get", lambda c: f"/tai-khoan/lich-rieng/?lich=program:{c['program'].code}", None, PRIVATE_PAGE),
    ("reporting:my_periods", "get", lambda c: "/bao-cao/", None, MEMBERS_PAGE),
    ("reporting:queue", "get", lambda c: "/bao-cao/duyet/", None, APPROVER_PAGE),
    ("reporting:indicators", "get", lambda c: "/bao-cao/chi-so/", None, MEMBERS_PAGE),
    ("reporting:targets", "get", lambda c: f"/bao-cao/chi-tieu/{c['program'].code}/", None, PRIVATE_PAGE),
    ("reporting:targets_excel", "get", lambda c: f"/bao-cao/chi-tieu/{c['program'].code}/excel/?nam=2019", None, PRIVATE_PAGE),
    ("reporting:activities", "get", lambda c: "/bao-cao/hoat-dong/", None, MEMBERS_PAGE),
    ("reporting:activity_add", "get", lambda c: "/bao-cao/hoat-dong/them/", None, REPORTER_PAGE),
    ("reporting:activity", "get", lambda c: f"/bao-cao/hoat-dong/{c['activity'].pk}/", None, PRIVATE_PAGE),
    ("reporting:activity_edit", "get", lambda c: f"/bao-cao/hoat-dong/{c['activity'].pk}/sua/", None, REPORTER_OWN_PAGE),
    ("reporting:grid", "get", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/", None, PRIVATE_PAGE),
    ("reporting:grid", "post", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/", lambda c, r: {"action": "save"},
     {**APPROVE_POST, "reporter": 302}),
    ("reporting:approve", "post", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/duyet/", lambda c, r: {}, APPROVE_POST),
    ("reporting:return", "post", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/tra-lai/", lambda c, r: {"reason": "Thiếu số liệu"}, APPROVE_POST),
    ("reporting:confirm", "post", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/xac-nhan/", lambda c, r: {}, APPROVE_POST),
    ("reporting:approve_selected", "post", lambda c: "/bao-cao/duyet/nhieu/", lambda c, r: {"bao_cao": ["1"]}, {**APPROVE_POST, "outsider": 403}),
    ("reporting:import_upload", "get", lambda c: f"/bao-cao/excel/{c['org_a'].pk}/", None, REPORT_PAGE),
    ("reporting:template_download", "get", lambda c: f"/bao-cao/excel/{c['org_a'].pk}/mau.xlsx?period=2019-Q3", None, REPORT_PAGE),
    ("reporting:export", "get", lambda c: f"/bao-cao/excel/{c['org_a'].pk}/xuat/?period=2019-Q3&format=csv", None, PRIVATE_PAGE),
    ("operations:index", "get", lambda c: "/quan-tri-he-thong/", None, SYSADMIN_PAGE),
    ("operations:logins", "get", lambda c: "/quan-tri-he-thong/dang-nhap/?su_kien=loi", None, SYSADMIN_PAGE),
    ("operations:approvals", "get", lambda c: "/quan-tri-he-thong/phe-duyet/?buoc=approved", None, SYSADMIN_PAGE),
    ("sitemap", "get", lambda c: "/sitemap.xml", None, PUBLIC_PAGE),
    ("reviews:list", "get", lambda c: "/so-ket/", None, MEMBERS_PAGE),
    ("reviews:create", "get", lambda c: "/so-ket/moi/", None, MANAGE_PAGE),
    ("reviews:contributions", "get", lambda c: f"/so-ket/{c['review'].pk}/", None, PRIVATE_PAGE),
    ("reviews:figures", "get", lambda c: f"/so-ket/{c['review'].pk}/so-lieu/", None, PRIVATE_PAGE),
    ("reviews:narratives", "get", lambda c: f"/so-ket/{c['review'].pk}/noi-dung/", None, PRIVATE_PAGE),
    ("reviews:preview", "get", lambda c: f"/so-ket/{c['review'].pk}/xem-truoc/", None, PRIVATE_PAGE),
    ("reviews:download", "get", lambda c: f"/so-ket/{c['review'].pk}/bao-cao.docx", None, PRIVATE_PAGE),
    ("reviews:status", "post", lambda c: f"/so-ket/{c['review'].pk}/trang-thai/", lambda c, r: {"status": "held"}, MANAGE_POST),
    ("reviews:program_document", "get", lambda c: f"/so-ket/van-ban/{c['program'].code}.docx", None, PRIVATE_PAGE),
    ("reporting:reopen", "post", lambda c: f"/bao-cao/{c['org_a'].pk}/{c['period_code']}/mo-lai/", lambda c, r: {"until": "31/12/2099", "reason": "Bổ sung"}, MANAGE_POST),
]

API = [
    ("GET /api/programs", "get", lambda c: "/api/programs", None, MEMBERS_API),
    ("POST /api/programs", "post", lambda c: "/api/programs", lambda c, role: _program_body(c, f"ct-{role}"), CREATE_API),
    ("GET /api/programs/{code}", "get", lambda c: f"/api/programs/{c['program'].code}", None, PRIVATE_API),
    ("PUT /api/programs/{code}", "put", lambda c: f"/api/programs/{c['program'].code}", lambda c, role: _program_body(c, c["program"].code), MANAGE_API),
    ("POST /api/programs/{code}/status", "post", lambda c: f"/api/programs/{c['program'].code}/status", lambda c, role: {"status": "signed", "signing_date": "2019-07-09"}, MANAGE_API),
    ("GET /api/events", "get", lambda c: "/api/events", None, MEMBERS_API),
    ("GET /api/events/{event_id}", "get", lambda c: f"/api/events/{c['event'].pk}", None, PRIVATE_API),
    ("GET /api/organizations", "get", lambda c: "/api/organizations?as_of=2019-07-09", None, MEMBERS_API),
    ("GET /api/almanac/anniversaries", "get", lambda c: "/api/almanac/anniversaries?from=2019-07-10&to=2019-08-31", None, MEMBERS_API),
    ("GET /api/almanac/lunar/{day}", "get", lambda c: "/api/almanac/lunar/1985-01-21", None, MEMBERS_API),
    ("GET /api/almanac/solar/{day}", "get", lambda c: "/api/almanac/solar/1985-01-01", None, MEMBERS_API),
]

REPORT_API = {"anonymous": 401, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 200, "viewer": 403, "outsider": 404}
REPORT_CREATE_API = {**REPORT_API, "sysadmin": 201, "manager": 201, "approver": 201, "reporter": 201}
APPROVE_API = {**REPORT_API, "reporter": 403}
OFFICE_API = {**APPROVE_API, "approver": 403}
TARGETS_API = {"anonymous": 401, "sysadmin": 200, "manager": 200, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 422}


def _open_month() -> str:
    today = timezone.localdate()
    y, m = today.year, today.month
    if today.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y}-{m:02d}"


def _reports_recruitment(c) -> None:
    from phoihop.programs.models import ContentArea

    c["program"].content_areas.add(*ContentArea.objects.filter(code="recruitment"))


def _value_rows(c, role):
    _reports_recruitment(c)
    return [{"organization": c["org_a"].pk, "indicator": "recruit_called", "period": _open_month(), "value": 1}]


def _target_rows(c, role):
    _reports_recruitment(c)
    return [{"program": c["program"].code, "organization": c["org_a"].pk, "indicator": "recruit_enlisted", "year": 2020, "value": 10}]


def _activity_body(c, role):
    today = timezone.localdate().isoformat()
    return {"title": "Tuyên truyền Luật Nghĩa vụ quân sự", "content_area": "recruitment", "lead_organization": c["org_a"].pk,
            "start_date": today, "end_date": today}


def _activity_path(c) -> str:
    from phoihop.programs.models import ContentArea
    from phoihop.reporting.models import Activity

    activity = Activity.objects.create(title="Hoạt động nội bộ", content_area=ContentArea.objects.get(code="recruitment"),
                                       lead_organization=c["org_a"], start_date=dt.date(2019, 7, 9), end_date=dt.date(2019, 7, 9))
    return f"/api/activities/{activity.pk}"


def _planned_activity_path(c) -> str:
    """A planned activity of org_a dated today: any reporter of org_a may change or delete it."""
    from phoihop.programs.models import ContentArea
    from phoihop.reporting.models import Activity

    today = timezone.localdate()
    activity = Activity.objects.create(title="Hoạt động dự kiến", content_area=ContentArea.objects.get(code="recruitment"),
                                       lead_organization=c["org_a"], status="planned", start_date=today, end_date=today)
    return f"/api/activities/{activity.pk}"


def _submitted_two_levels(c, verb: str) -> str:
    """A report of org_a sent for approval under a two-level program (the confirming step)."""
    from phoihop.programs.models import Program

    Program.objects.filter(parties__organization=c["org_a"]).update(two_level_approval=True)
    return _submitted(c, verb)


def _submitted(c, verb: str) -> str:
    from phoihop.audit import workflow
    from phoihop.reporting import services
    from phoihop.reporting.models import SubmissionStatus

    submission = services.submission_for(c["org_a"], services.get_period("2019-07", services.convention_for(c["org_a"])))
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    return f"/api/submissions/{c['org_a'].pk}/2019-07/{verb}"


REPORTING_API = [
    ("POST /api/datavalues", "post", lambda c: "/api/datavalues", _value_rows, REPORT_API),
    ("GET /api/datavalues", "get", lambda c: f"/api/datavalues?program={c['program'].code}&include_unapproved=true", None, PRIVATE_API),
    ("GET /api/indicators", "get", lambda c: "/api/indicators", None, MEMBERS_API),
    ("GET /api/periods", "get", lambda c: "/api/periods?year=2019", None, MEMBERS_API),
    ("GET /api/periods/{code}", "get", lambda c: "/api/periods/2019-07", None, MEMBERS_API),
    ("GET /api/targets", "get", lambda c: f"/api/targets?program={c['program'].code}", None, PRIVATE_API),
    ("PUT /api/targets", "put", lambda c: "/api/targets", _target_rows, TARGETS_API),
    ("GET /api/activities", "get", lambda c: "/api/activities", None, MEMBERS_API),
    ("POST /api/activities", "post", lambda c: "/api/activities", _activity_body, REPORT_CREATE_API),
    ("GET /api/activities/{activity_id}", "get", _activity_path, None, PRIVATE_API),
    ("PUT /api/activities/{activity_id}", "put", _planned_activity_path, _activity_body, REPORT_API),
    ("DELETE /api/activities/{activity_id}", "delete", _planned_activity_path, None, {**REPORT_API, **dict.fromkeys(
        ["sysadmin", "manager", "approver", "reporter"], 204)}),
    ("GET /api/submissions", "get", lambda c: "/api/submissions", None, MEMBERS_API),
    ("POST /api/submissions/{org_id}/{period_code}/submit", "post", lambda c: f"/api/submissions/{c['org_a'].pk}/2019-07/submit", None, REPORT_API),
    ("POST /api/submissions/{org_id}/{period_code}/approve", "post", lambda c: _submitted(c, "approve"), None, APPROVE_API),
    ("POST /api/submissions/{org_id}/{period_code}/confirm", "post", lambda c: _submitted_two_levels(c, "confirm"), None, APPROVE_API),
    ("POST /api/submissions/approve-many", "post", lambda c: _submitted(c, "approve").rsplit("/", 3)[0] + "/approve-many",
     lambda c, role: {"reports": [{"organization": c["org_a"].pk, "period": "2019-07"}]}, {**APPROVE_API, "outsider": 403}),
    ("POST /api/submissions/{org_id}/{period_code}/return", "post", lambda c: _submitted(c, "return"),
     lambda c, role: {"reason": "Thiếu số liệu tuyển quân"}, APPROVE_API),
    ("POST /api/submissions/{org_id}/{period_code}/reopen", "post", lambda c: _submitted(c, "reopen"),
     lambda c, role: {"until": (timezone.localdate() + dt.timedelta(days=7)).isoformat(), "reason": "Bổ sung số liệu"}, OFFICE_API),
    ("GET /api/reviews", "get", lambda c: "/api/reviews", None, MEMBERS_API),
    ("GET /api/results", "get", lambda c: f"/api/results?program={c['program'].code}&from=2019-01-01&to=2019-12-31", None, PRIVATE_API),
]
API += REPORTING_API

# Routes outside the matrix on purpose, with the reason.
NOT_SCOPED = {
    "accounts:login": "the login page itself",
    "accounts:logout": "logs the caller out, nothing to see",
    "set_language": "Django's language switch",
    "GET /api/openapi.json": "the public API description",
    "GET /api/docs": "the API documentation page",
}

# Routes whose permission tests live beside their app (name → test module).
EXTRA_PAGE_ROUTES: dict[str, str] = {
    "news:image": "phoihop/news/tests/test_permissions.py (needs an uploaded image)",
    "news:upload_image": "phoihop/news/tests/test_permissions.py (multipart upload)",
    "programs:invitations": "phoihop/programs/tests/test_party_consent.py (invitations of the caller's organisations)",
    "programs:invitation_answer": "phoihop/programs/tests/test_party_consent.py (only the invited organisation's administrator)",
    "programs:committee_member_edit": "phoihop/programs/tests/test_committee_event_pages.py (needs a member)",
    "programs:committee_member_end": "phoihop/programs/tests/test_committee_event_pages.py (needs a member)",
    "programs:event_attachment": "phoihop/programs/tests/test_committee_event_pages.py (needs an uploaded file)",
    "programs:event_attachment_remove": "phoihop/programs/tests/test_committee_event_pages.py (needs an uploaded file)",
}
EXTRA_API_ROUTES: dict[str, str] = {
    "GET /api/invitations": "phoihop/programs/tests/test_party_consent.py",
    "POST /api/invitations/{invitation_id}/accept": "phoihop/programs/tests/test_party_consent.py",
    "POST /api/invitations/{invitation_id}/decline": "phoihop/programs/tests/test_party_consent.py",
    "POST /api/invitations/{invitation_id}/withdraw": "phoihop/programs/tests/test_party_consent.py",
}

# The bulletin's pages, as its own permission test states them (the image routes need its image).
PAGES += [route for route in NEWS_ROUTES if route[0] not in EXTRA_PAGE_ROUTES]


@pytest.fixture
def ctx(people, org_a, draft_program, private_event):
    import datetime as dt

    from phoihop.almanac.services import add_local_commemoration, save_year_theme
    from phoihop.programs.models import SteeringCommittee

    committee = SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a)
    committee.programs.add(draft_program)
    from django.utils import timezone

    from phoihop.programs.models import ContentArea
    from phoihop.reporting.models import Activity
    from phoihop.reporting.overview import recent_month_codes

    draft_program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    # What signing asks of each party (programs.services.signing_gaps), so that a manager may sign.
    from phoihop import factories as f

    draft_program.parties.update(document_number="15", signatory_title="Chỉ huy trưởng",
                                 signatory=f.PersonFactory(full_name="Lê Minh Đức"))
    activity = Activity.objects.create(
        title="Thăm gia đình chính sách", content_area=ContentArea.objects.get(code="gratitude"),
        lead_organization=org_a, program=draft_program, start_date=dt.date(2019, 7, 20), end_date=dt.date(2019, 7, 20),
    )
    from phoihop.reviews.services import ItemInput, prepare_review

    review = prepare_review(title="Sơ kết thử", kind="interim", date=dt.date(2019, 7, 9), organizer=org_a, user=None,
                            items=[ItemInput(draft_program.code, dt.date(2019, 7, 9), dt.date(2020, 7, 9))])
    local_day = add_local_commemoration(org_a, "Ngày truyền thống Ban CHQS thử", dt.date(1945, 9, 1), "ngay-thu")
    theme = save_year_theme(year=2019, organization=org_a, theme="Chủ đề năm thử", resolutions=["Quyết tâm một"])
    from phoihop.news.models import ArticleStatus
    from phoihop.news.tests.conftest import make_article

    published = make_article(org_a, title="Tin của Ban CHQS", status=ArticleStatus.PUBLISHED,
                             published_at=timezone.now() - dt.timedelta(hours=1))
    article = make_article(org_a, title="Bản nháp của Ban CHQS")
    return {"org_a": org_a, "program": draft_program, "event": private_event, "committee": committee,
            "local_day": local_day, "theme": theme, "activity": activity, "review": review,
            "published": published, "article": article,
            "period_code": recent_month_codes(timezone.localdate(), 1)[0], **people}


def _call(client, ctx, role, method, path, body, api):
    kwargs = {}
    if role != "anonymous":
        if api:
            _token, raw = ApiToken.issue(ctx[role])
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.force_login(ctx[role])
    if body is not None and not api:
        return getattr(client, method)(path, body(ctx, role), **kwargs)
    if body is not None:
        return getattr(client, method)(path, json.dumps(body(ctx, role)), content_type="application/json", **kwargs)
    return getattr(client, method)(path, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, ctx, role, name, method, path, body, expected):
    response = _call(client, ctx, role, method, path(ctx), body, api=False)
    assert response.status_code == expected[role], f"{name} as {role}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "expected"), API, ids=[a[0] for a in API])
def test_api(client, ctx, role, name, method, path, body, expected):
    response = _call(client, ctx, role, method, path(ctx), body, api=True)
    assert response.status_code == expected[role], f"{name} as {role}: {response.content[:200]}"


def _named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns == "admin" or (ns and ns.startswith("api")):
                continue
            names |= _named_routes(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_page_route_is_in_the_matrix():
    covered = {p[0] for p in PAGES} | set(NOT_SCOPED) | set(EXTRA_PAGE_ROUTES)
    missing = _named_routes() - covered
    assert not missing, f"routes missing from the permission matrix: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    from phoihop.api.urls import api

    schema = api.get_openapi_schema()
    operations = {f"{m.upper()} {p}" for p, item in schema["paths"].items() for m in item}
    covered = {a[0] for a in API} | set(NOT_SCOPED) | set(EXTRA_API_ROUTES)
    missing = operations - covered
    assert not missing, f"API operations missing from the permission matrix: {sorted(missing)}"


# ---------------------------------------------------------------- the access helpers of the report and its values
#
# The same matrix, one level down: reporting.access decides for the pages, the API and the
# exports alike. "ok" = handed out, 404 = as if absent, 403 = seen but the role is too low.

REPORT_HELPER = {
    "view": {"anonymous": 404, "sysadmin": "ok", "manager": "ok", "approver": "ok", "reporter": "ok", "viewer": "ok", "outsider": 404},
    "report": {"anonymous": 404, "sysadmin": "ok", "manager": "ok", "approver": "ok", "reporter": "ok", "viewer": 403, "outsider": 404},
    "approve": {"anonymous": 404, "sysadmin": "ok", "manager": "ok", "approver": "ok", "reporter": 403, "viewer": 403, "outsider": 404},
    "manage": {"anonymous": 404, "sysadmin": "ok", "manager": "ok", "approver": 403, "reporter": 403, "viewer": 403, "outsider": 404},
}


def _user(ctx, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else ctx[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(REPORT_HELPER))
def test_get_report_for_user(ctx, role, action):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from phoihop.reporting.access import get_report_for_user
    from phoihop.reporting.models import Submission

    expected = REPORT_HELPER[action][role]
    try:
        report = get_report_for_user(_user(ctx, role), ctx["org_a"].pk, ctx["period_code"], action)
    except Http404:
        outcome = 404
    except PermissionDenied:
        outcome = 403
    else:
        outcome = "ok"
        assert report.organization == ctx["org_a"] and report.period.code == ctx["period_code"]
    assert outcome == expected, f"{action} the report as {role}"
    assert not Submission.objects.exists(), "looking a report up never creates it"


@pytest.fixture
def values(ctx, org_b):
    """An unapproved value of org_a and an approved one of org_b, same month."""
    from phoihop import factories as f
    from phoihop.audit import workflow
    from phoihop.programs.models import ContentArea
    from phoihop.reporting import bulk, services
    from phoihop.reporting.models import SubmissionStatus

    program_b = f.ProgramFactory(code="ct-hoi")
    f.PartyFactory(program=program_b, organization=org_b, role="lead")
    program_b.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    for org in (ctx["org_a"], org_b):
        period = services.get_period(ctx["period_code"], services.convention_for(org))
        result = bulk.save_values(org, period, None, [services.CellInput("gratitude_houses", 7)], check_permission=False)
        assert result.ok, result.errors
    approved = services.submission_for(org_b, services.get_period(ctx["period_code"], services.convention_for(org_b)))
    workflow.move(approved, SubmissionStatus.SUBMITTED)
    workflow.move(approved, SubmissionStatus.APPROVED)
    return {"a": ctx["org_a"].pk, "b": org_b.pk}


# Whose values each role sees: with unapproved ones (the organisation's own people and its
# supervising standing office only), and approved ones alone.
VALUES_HELPER = {
    "anonymous": (set(), set()),
    "sysadmin": ({"a", "b"}, {"b"}),
    "manager": ({"a", "b"}, {"b"}),
    "approver": ({"a", "b"}, {"b"}),
    "reporter": ({"a", "b"}, {"b"}),
    "viewer": ({"a", "b"}, {"b"}),
    "outsider": ({"b"}, {"b"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_values_visible_to(ctx, values, role):
    from phoihop.reporting.access import values_visible_to

    names = {pk: name for name, pk in values.items()}
    user = _user(ctx, role)
    with_unapproved, approved_only = VALUES_HELPER[role]
    seen = {names[o] for o in values_visible_to(user).values_list("organization_id", flat=True)}
    assert seen == with_unapproved, f"values seen by {role}"
    seen = {names[o] for o in values_visible_to(user, unapproved=False).values_list("organization_id", flat=True)}
    assert seen == approved_only, f"approved values seen by {role}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_draft_figures_only_through_the_check(ctx, role):
    from phoihop.reporting.access import draft_scope, includes_unapproved
    from phoihop.reviews.access import figures_for

    program, review = ctx["program"], ctx["review"]
    supervises = role not in ("anonymous", "outsider")
    scope = draft_scope(_user(ctx, role), [program])
    assert (scope is not None) == supervises, f"draft figures of org_a's program for {role}"
    assert includes_unapproved(scope, [program]) == supervises
    assert figures_for(_user(ctx, role), review) is None, "a review not prepared with drafts shows none by default"
    assert (figures_for(_user(ctx, role), review, asked=True) is not None) == supervises
