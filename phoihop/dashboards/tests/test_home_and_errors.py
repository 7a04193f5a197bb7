"""The first run: a home page that explains the system and links the demo; Vietnamese error pages."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from phoihop import factories as f

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_public_home_page(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phối Hợp là phần mềm dùng chung" in html
    assert 'href="/tai-khoan/dang-nhap/"' in html and 'href="/tin-tuc/"' in html
    assert "Bảng điều khiển của bạn" not in html


def test_the_login_page_still_leads_home(client, viewer):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "viewer", "password": "mat-khau-thu-1"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_member_gets_quick_links_to_the_demo_and_their_dashboard(client, org_a, manager, viewer):
    from phoihop.reviews.services import ItemInput, prepare_review

    program = f.ProgramFactory(code="bn-phoihop-2019-2023", title="Chương trình phối hợp minh họa", status="in_force")
    f.PartyFactory(program=program, organization=org_a, role="lead")
    later = prepare_review(title="Sơ kết sau", kind="interim", date=dt.date(2020, 7, 9), organizer=org_a, user=manager,
                           items=[ItemInput(program.code, dt.date(2019, 7, 9), dt.date(2020, 6, 14))])
    first = prepare_review(title="Sơ kết đầu tiên", kind="interim", date=dt.date(2019, 7, 9), organizer=org_a, user=manager,
                           items=[ItemInput(program.code, dt.date(2019, 1, 1), dt.date(2019, 6, 14))])
    client.force_login(viewer)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/chuong-trinh/bn-phoihop-2019-2023/"' in html
    assert f'href="/so-ket/{first.pk}/"' in html and f'href="/so-ket/{later.pk}/"' not in html
    assert 'href="/tin-tuc/"' in html and 'href="/bang-dieu-khien/"' in html
    assert "Trọng tâm 60 ngày tới" in html and 'class="focus-panel"' in html


def test_without_the_demo_the_home_page_still_works(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "Chương trình minh họa" not in response.content.decode()


def test_the_404_page_is_vietnamese_and_leads_home(client):
    response = client.get("/khong-co/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and "/khong-co/" in html and 'href="/"' in html
    assert '<html lang="vi">' in html


def test_the_403_page_is_vietnamese_and_leads_home(client, reporter):
    client.force_login(reporter)
    response = client.get("/bang-dieu-khien/thuong-truc/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in html and 'href="/"' in html


@pytest.mark.urls("phoihop.dashboards.tests.urls_boom")
def test_the_500_page_is_vietnamese_and_needs_neither_database_nor_context(client):
    client.raise_request_exception = False
    response = client.get("/hong/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in html and 'href="/"' in html
    source = (Path(settings.BASE_DIR) / "templates/500.html").read_text()
    assert "{%" not in source and "{{" not in source  # plain HTML: no tags, no context processors
    assert "Đã xảy ra lỗi hệ thống" in render_to_string("500.html")
