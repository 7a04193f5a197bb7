"""Who works for an organisation in the product: its committee administrator adds an account
(new, with a temporary password shown once, or an existing one), changes a role, resets a
forgotten password or removes a member — without the system administrator's /quan-tri/.
Every write is `accounts.services`; the page only parses and shows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.accounts import services as accounts
from phoihop.accounts.models import Membership, Role
from phoihop.core.vietnamese import sort_key
from phoihop.organizations.access import get_organization_for_user


def _membership(organization, pk) -> Membership:
    membership = Membership.objects.select_related("user").filter(organization=organization, pk=pk).first()
    if membership is None:
        raise ValidationError(_("Không tìm thấy người dùng này trong tổ chức (có thể vừa được người khác rút khỏi tổ chức)."))
    return membership


@login_required
def members(request, pk: int):
    organization = get_organization_for_user(request.user, pk)
    if not accounts.may_manage_members(request.user, organization.pk):
        raise PermissionDenied(_("Chỉ quản trị của tổ chức mới quản lý được người dùng của tổ chức."))
    typed: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    created_password, created_user = "", None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                typed = {k: request.POST.get(k, "")[:200] for k in ("username", "full_name", "email", "role")}
                added = accounts.add_member(organization, request.user, username=typed["username"],
                                            full_name=typed["full_name"], email=typed["email"], role=typed["role"])
                created_password, created_user = added.password, added.membership.user
                messages.success(request, _("Đã thêm %(u)s vào tổ chức với vai trò %(r)s.")
                                 % {"u": created_user.username, "r": added.membership.get_role_display()})
                typed = {}
            elif action == "role":
                membership = accounts.change_member_role(_membership(organization, request.POST.get("member")),
                                                         request.user, request.POST.get("role", ""))
                messages.success(request, _("Đã đổi vai trò của %(u)s thành %(r)s.")
                                 % {"u": membership.user.username, "r": membership.get_role_display()})
                return redirect("organizations:members", pk=organization.pk)
            elif action == "remove":
                membership = _membership(organization, request.POST.get("member"))
                accounts.remove_member(membership, request.user)
                messages.success(request, _("%(u)s không còn là người dùng của tổ chức (tài khoản vẫn giữ lịch sử).")
                                 % {"u": membership.user.username})
                return redirect("organizations:members", pk=organization.pk)
            elif action == "password":
                membership = _membership(organization, request.POST.get("member"))
                created_password = accounts.reset_member_password(membership, request.user)
                created_user = membership.user
                messages.success(request, _("Đã đặt mật khẩu tạm mới cho %(u)s.") % {"u": created_user.username})
            else:
                messages.error(request, _("Thao tác không hợp lệ."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {key: [str(m) for m in exc.message_dict[key]] for key in exc.message_dict}
                messages.error(request, _("Chưa thêm được người dùng: hãy sửa các ô được đánh dấu."))
            else:
                messages.error(request, " ".join(exc.messages))
    rows = sorted(Membership.objects.filter(organization=organization).select_related("user"),
                  key=lambda m: sort_key(m.user.get_full_name() or m.user.username))
    context = {
        "organization": organization,
        "rows": rows,
        "roles": Role.choices,
        "typed": typed,
        "errors": errors,
        "created_password": created_password,
        "created_user": created_user,
        "me": request.user.pk,
        "is_system_admin": perms.is_system_admin(request.user),
    }
    return render(request, "organizations/members.html", context, status=400 if errors else 200)
