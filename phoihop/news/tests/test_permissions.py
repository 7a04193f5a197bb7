"""Every bulletin route × every role → the expected status (same people as the project matrix).

Editing is "committee administrator (MANAGE) of the article's organisation, or system
administrator". Members of another organisation get 404 for org_a's articles and org_a's private
event; a lower role of org_a gets 403; anonymous visitors are sent to the login page. Public
routes answer 200 to everyone.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.utils import timezone

from phoihop.news.models import ArticleStatus
from phoihop.news.tests.conftest import make_article, png_bytes

ROLES = ["anonymous", "sysadmin", "manager", "approver", "reporter", "viewer", "outsider"]
PUBLIC = dict.fromkeys(ROLES, 200)
MANAGE_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 403}
MANAGE_OWN_PAGE = {**MANAGE_PAGE, "outsider": 404}
MANAGE_POST = {"anonymous": 302, "sysadmin": 302, "manager": 302, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 404}


@pytest.fixture
def ctx(people, org_a, draft_program, private_event, category):
    published = make_article(org_a, title="Tin công khai của Ban CHQS", status=ArticleStatus.PUBLISHED,
                             published_at=timezone.now() - dt.timedelta(hours=1), category=category)
    draft = make_article(org_a, title="Bản nháp của Ban CHQS")
    from phoihop.news import services

    image = services.add_image(published, SimpleUploadedFile("a.png", png_bytes()), user=None)
    return {"org_a": org_a, "program": draft_program, "event": private_event, "published": published,
            "article": draft, "image": image, **people}


def _png(c, role):
    return {"image": SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png"), "caption": "Ảnh"}


ROUTES = [
    ("news:list", "get", lambda c: "/tin-tuc/?q=dan+van", None, PUBLIC),
    ("news:article", "get", lambda c: c["published"].get_absolute_url(), None, PUBLIC),
    ("news:category", "get", lambda c: "/tin-tuc/chuyen-muc/hoat-dong-phoi-hop/", None, PUBLIC),
    ("news:rss", "get", lambda c: "/tin-tuc/rss/", None, PUBLIC),
    ("news:atom", "get", lambda c: "/tin-tuc/atom/", None, PUBLIC),
    ("news:sitemap", "get", lambda c: "/tin-tuc/sitemap.xml", None, PUBLIC),
    ("news:image", "get", lambda c: c["image"].url, None, PUBLIC),
    ("news:manage", "get", lambda c: "/tin-tuc/bien-tap/", None, MANAGE_PAGE),
    ("news:create", "get", lambda c: "/tin-tuc/soan/", None, MANAGE_PAGE),
    ("news:draft_from_event", "get", lambda c: f"/tin-tuc/soan/tu-su-kien/{c['event'].pk}/", None, MANAGE_OWN_PAGE),
    ("news:edit", "get", lambda c: f"/tin-tuc/bien-tap/{c['article'].pk}/", None, MANAGE_OWN_PAGE),
    ("news:preview", "get", lambda c: f"/tin-tuc/bien-tap/{c['article'].pk}/xem-truoc/", None, MANAGE_OWN_PAGE),
    ("news:publish", "get", lambda c: f"/tin-tuc/bien-tap/{c['article'].pk}/xuat-ban/", None, MANAGE_OWN_PAGE),
    ("news:status", "post", lambda c: f"/tin-tuc/bien-tap/{c['published'].pk}/trang-thai/",
     lambda c, r: {"to": "withdrawn", "note": "Thử quyền"}, MANAGE_POST),
    ("news:upload_image", "post", lambda c: f"/tin-tuc/bien-tap/{c['article'].pk}/anh/", _png, MANAGE_POST),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "expected"), ROUTES, ids=[r[0] for r in ROUTES])
def test_routes(client, ctx, role, name, method, path, body, expected):
    if role != "anonymous":
        client.force_login(ctx[role])
    url = path(ctx)
    response = getattr(client, method)(url, body(ctx, role)) if body else getattr(client, method)(url)
    assert response.status_code == expected[role], f"{name} as {role}"
    if expected[role] == 302 and role == "anonymous":
        assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_every_news_route_is_covered():
    (news,) = [entry for entry in get_resolver().url_patterns if getattr(entry, "namespace", None) == "news"]
    assert {f"news:{p.name}" for p in news.url_patterns} == {r[0] for r in ROUTES}


@pytest.mark.django_db
def test_an_editor_of_another_organisation_never_sees_org_a_drafts(client, org_b, draft):
    from phoihop.factories import MembershipFactory, UserFactory

    editor_b = UserFactory(username="bientap_b")
    MembershipFactory(user=editor_b, organization=org_b, role="committee_admin")
    client.force_login(editor_b)
    assert client.get("/tin-tuc/bien-tap/").status_code == 200
    assert draft.title not in client.get("/tin-tuc/bien-tap/").content.decode()
    assert client.get(f"/tin-tuc/bien-tap/{draft.pk}/").status_code == 404
    assert client.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {}).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_editor_cannot_publish_for_an_organisation_that_is_not_theirs(client, manager, org_b):
    client.force_login(manager)
    response = client.post("/tin-tuc/soan/", {"organization": org_b.pk, "title": "Tin", "lead": "Sa pô", "body": "Nội dung"})
    assert response.status_code == 422
    from phoihop.news.models import Article

    assert not Article.objects.filter(organization=org_b).exists()


@pytest.mark.django_db
def test_the_admin_is_scoped(client, manager, outsider, org_a):
    from django.contrib.auth import get_user_model

    article = make_article(org_a, title="Bản nháp trong quản trị")
    staff_outsider = get_user_model().objects.get(pk=outsider.pk)
    staff_outsider.is_staff = True
    staff_outsider.save()
    from django.contrib.auth.models import Permission

    staff_outsider.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(staff_outsider)
    assert client.get(f"/quan-tri/news/article/{article.pk}/change/").status_code == 302  # "not found" → list
    assert "Bản nháp trong quản trị" not in client.get("/quan-tri/news/article/").content.decode()


@pytest.mark.django_db
def test_the_admin_works_for_a_system_administrator_and_never_touches_the_counter(client, sysadmin, published):
    from phoihop.news.models import Article

    Article.objects.filter(pk=published.pk).update(view_count=7)
    client.force_login(sysadmin)
    assert client.get("/quan-tri/news/article/").status_code == 200
    url = f"/quan-tri/news/article/{published.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "organization": published.organization_id, "title": "Sửa <script>x()</script>trong quản trị", "lead": "Sa pô",
        "body": "<p onclick='x()'>Thân bài</p>", "author": "", "source": "", "category": "", "program": "", "event": "",
        "cover": "", "images-TOTAL_FORMS": 0, "images-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert (published.title, published.body, published.view_count, published.version) == (
        "Sửa trong quản trị", "<p>Thân bài</p>", 7, 2)
