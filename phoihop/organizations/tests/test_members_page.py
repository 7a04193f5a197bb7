"""An organisation's committee administrator manages its people from the organisation's page
(issue 14 point 8: nothing routine needs /quan-tri/)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from phoihop.accounts.models import Membership
from phoihop.audit.models import AuditEntry
from phoihop.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _page(org):
    return reverse("organizations:members", args=[org.pk])


def _client(client, user):
    client.force_login(user)
    return client


def test_committee_admin_adds_a_new_account_and_it_can_sign_in(client, manager, org_a):
    page = _client(client, manager).post(_page(org_a), {
        "action": "add", "username": "Nguyen.Lan", "full_name": "Nguyễn Thị Lan", "role": "reporter", "email": "",
    })
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mật khẩu tạm" in text
    password = page.context["created_password"]
    assert password and password in text
    user = get_user_model().objects.get(username="nguyen.lan")
    assert (user.last_name, user.first_name) == ("Nguyễn Thị", "Lan")
    assert Membership.objects.get(user=user).role == "reporter"
    assert AuditEntry.objects.filter(object_repr__contains="nguyen.lan", action="create").exists()
    client.logout()
    assert client.login(username="nguyen.lan", password=password)


def test_an_existing_account_gets_a_role_without_a_new_password(client, manager, org_a, outsider):
    page = _client(client, manager).post(_page(org_a), {"action": "add", "username": "outsider", "role": "viewer"})
    assert page.context["created_password"] == ""
    assert Membership.objects.filter(user=outsider, organization=org_a, role="viewer").exists()
    again = client.post(_page(org_a), {"action": "add", "username": "outsider", "role": "viewer"})
    assert again.status_code == 400
    assert "đã là người dùng của tổ chức này" in again.content.decode()


def test_bad_input_keeps_what_was_typed_and_marks_the_field(client, manager, org_a):
    page = _client(client, manager).post(_page(org_a), {
        "action": "add", "username": "a b", "full_name": "Trần Văn Bình", "email": "khong-phai-thu", "role": "reporter",
    })
    assert page.status_code == 400
    text = page.content.decode()
    assert 'value="Trần Văn Bình"' in text and 'value="a b"' in text
    assert "Tên đăng nhập gồm 3–40 chữ thường" in text
    assert "Địa chỉ thư điện tử không hợp lệ" in text
    assert text.count('aria-invalid="true"') == 2
    assert not get_user_model().objects.filter(last_name="Trần Văn").exists()


def test_change_role_reset_password_and_remove(client, manager, org_a, reporter):
    membership = Membership.objects.get(user=reporter, organization=org_a)
    _client(client, manager).post(_page(org_a), {"action": "role", "member": membership.pk, "role": "approver"})
    membership.refresh_from_db()
    assert membership.role == "approver"
    page = client.post(_page(org_a), {"action": "password", "member": membership.pk})
    password = page.context["created_password"]
    assert password
    reporter.refresh_from_db()
    assert reporter.check_password(password) and not reporter.check_password(PASSWORD)
    client.post(_page(org_a), {"action": "remove", "member": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert get_user_model().objects.filter(pk=reporter.pk).exists()


def test_an_administrator_cannot_lock_themselves_out(client, manager, org_a):
    own = Membership.objects.get(user=manager, organization=org_a)
    page = _client(client, manager).post(_page(org_a), {"action": "role", "member": own.pk, "role": "viewer"}, follow=True)
    assert "không tự đổi vai trò" in page.content.decode()
    own.refresh_from_db()
    assert own.role == "committee_admin"


def test_password_of_an_account_in_another_organisation_is_not_reset(client, manager, org_a, outsider):
    Membership.objects.create(user=outsider, organization=org_a, role="viewer")
    membership = Membership.objects.get(user=outsider, organization=org_a)
    page = _client(client, manager).post(_page(org_a), {"action": "password", "member": membership.pk})
    assert page.status_code == 403
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


@pytest.mark.parametrize("who", ["approver", "reporter", "viewer", "outsider"])
def test_only_the_organisation_s_committee_admin_manages_it(client, request, org_a, who):
    user = request.getfixturevalue(who)
    assert _client(client, user).get(_page(org_a)).status_code == 403
    assert client.post(_page(org_a), {"action": "add", "username": "moi.nguoi", "full_name": "A B", "role": "viewer"}).status_code == 403
    assert not get_user_model().objects.filter(username="moi.nguoi").exists()
    detail = client.get(reverse("organizations:detail", args=[org_a.pk])).content.decode()
    assert _page(org_a) not in detail


def test_the_organisation_page_links_to_its_people_for_its_administrator(client, manager, org_a):
    detail = _client(client, manager).get(reverse("organizations:detail", args=[org_a.pk])).content.decode()
    assert _page(org_a) in detail


def test_a_member_changes_their_password(client, reporter):
    page = _client(client, reporter).post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-7", "new_password2": "mot-mat-khau-moi-7",
    }, follow=True)
    assert "Đã đổi mật khẩu" in page.content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password("mot-mat-khau-moi-7")
