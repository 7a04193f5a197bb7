"""Writes of the accounts app: calendar feed tokens (issue and revoke) and the members of an
organisation (add, change role, remove, reset a password), for the pages, the admin and anything
else alike."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.accounts.models import FeedToken, Membership, Role, _hash
from phoihop.audit.recorder import write_entry
from phoihop.core.vietnamese import clean_line


@transaction.atomic
def issue_feed_token(user, label: str = "") -> tuple[FeedToken, str]:
    """A new feed token of `user`; returns it and its raw value (shown once, never stored)."""
    raw = FeedToken.PREFIX + secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        user=user, label=(clean_line(label) or "")[:100], prefix=raw[:10], key_hash=_hash(raw),
    )
    return token, raw


@transaction.atomic
def revoke_feed_token(token: FeedToken) -> FeedToken:
    """Revoke `token` (from now on its feed URLs answer 403). Revoking twice changes nothing."""
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# ---------------------------------------------------------------- members of an organisation

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over the phone


@dataclass
class MemberAdded:
    """A membership written by `add_member`, and the temporary password of a new account (shown
    once to the administrator who created it; empty when the account existed)."""

    membership: Membership
    password: str = ""


def may_manage_members(user, organization_id: int) -> bool:
    """A committee administrator of the organisation (or a system administrator) manages who
    works for it in the product."""
    return perms.can(user, perms.MANAGE, {organization_id})


def _ensure_may_manage_members(user, organization_id: int) -> None:
    if not may_manage_members(user, organization_id):
        raise PermissionDenied(_("Chỉ quản trị của tổ chức mới quản lý được người dùng của tổ chức."))


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("Vai trò không hợp lệ.")]})


def temporary_password() -> str:
    """Four groups of four letters and digits (e.g. "k7mp-2xqa-…"): easy to read out, long enough
    for the password rules; the user changes it at first sign-in."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(4)) for _g in range(4))


@transaction.atomic
def add_member(organization, by, *, username: str, role: str, full_name: str = "", email: str = "") -> MemberAdded:
    """Give `username` a role in `organization`: the existing account of that name, or a new one
    with a temporary password. Recorded (the membership is audited)."""
    _ensure_may_manage_members(by, organization.pk)
    username = (clean_line(username) or "").lower()
    full_name = clean_line(full_name) or ""
    email = (clean_line(email) or "").lower()
    errors: dict[str, list[str]] = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = [_("Tên đăng nhập gồm 3–40 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới, "
                                "bắt đầu bằng chữ hoặc số.")]
    if role not in Role.values:
        errors["role"] = [_("Vai trò không hợp lệ.")]
    if len(full_name) > 150:
        errors["full_name"] = [_("Họ và tên dài quá 150 ký tự.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if errors:
        raise ValidationError(errors)
    User = get_user_model()
    user = User.objects.select_for_update().filter(username=username).first()
    password = ""
    if user is None:
        if not full_name:
            raise ValidationError({"full_name": [_("Tài khoản mới cần họ và tên của người dùng.")]})
        last, _sep, first = full_name.rpartition(" ")
        user = User(username=username, first_name=first, last_name=last, email=email)
        password = temporary_password()
        user.set_password(password)
        user.save()
    elif Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError({"username": [_("“%(u)s” đã là người dùng của tổ chức này; hãy đổi vai trò ở danh sách.")
                                            % {"u": username}]})
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    return MemberAdded(membership, password)


def _ensure_not_self(membership: Membership, by) -> None:
    if membership.user_id == getattr(by, "pk", None) and not perms.is_system_admin(by):
        raise ValidationError(_("Bạn không tự đổi vai trò hay tự rút khỏi tổ chức được; hãy nhờ một quản trị khác của tổ chức."))


@transaction.atomic
def change_member_role(membership: Membership, by, role: str) -> Membership:
    _ensure_may_manage_members(by, membership.organization_id)
    _check_role(role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_not_self(membership, by)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(membership: Membership, by) -> None:
    """The user no longer acts for the organisation (the account stays: its history names it)."""
    _ensure_may_manage_members(by, membership.organization_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_not_self(membership, by)
    membership.delete()


@transaction.atomic
def reset_member_password(membership: Membership, by) -> str:
    """A new temporary password for a member who forgot theirs — only for an account that acts
    for no other organisation than those `by` manages (one administrator cannot take over
    another organisation's account)."""
    _ensure_may_manage_members(by, membership.organization_id)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    _ensure_not_self(membership, by)
    user = membership.user
    others = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    if user.is_superuser or not all(may_manage_members(by, org) for org in others):
        raise PermissionDenied(_("Tài khoản này còn thuộc tổ chức khác: hãy nhờ quản trị hệ thống đặt lại mật khẩu."))
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    write_entry(membership, "update", {}, _("Đặt lại mật khẩu tạm"))
    return password
