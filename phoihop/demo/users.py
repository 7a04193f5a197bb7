"""Demo users: one per role. Their shared password is printed by `make run`."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model

from phoihop.accounts.models import Membership, Role
from phoihop.organizations.models import Organization

# username → (full name, organisation key, role, is system administrator)
DEMO_USERS = {
    "admin": ("Quản trị hệ thống", None, None, True),
    "thuongtruc": ("Cơ quan thường trực (Ban CHQS)", "ban_chqs", Role.COMMITTEE_ADMIN, False),
    "pheduyet": ("Người duyệt (Ban CHQS)", "ban_chqs", Role.APPROVER, False),
    "phunu": ("Cán bộ báo cáo Hội LHPN", "Hội LHPN", Role.REPORTER, False),
    "lanhdao": ("Lãnh đạo Ban Dân vận (xem)", "ban_dan_van", Role.VIEWER, False),
}


def demo_password() -> str:
    if os.environ.get("PHOIHOP_DEMO_PASSWORD"):
        return os.environ["PHOIHOP_DEMO_PASSWORD"]
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def load(orgs: dict[str, Organization]) -> list[tuple[str, str, str]]:
    """Create missing demo users; existing ones keep their password. Returns (user, role, org)."""
    User = get_user_model()
    password = demo_password()
    rows = []
    for username, (full_name, org_key, role, is_admin) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=full_name, is_staff=is_admin, is_superuser=is_admin)
            user.set_password(password)
            user.save()
        if org_key:
            Membership.objects.get_or_create(user=user, organization=orgs[org_key], defaults={"role": role})
        rows.append((username, str(role.label) if role else "Quản trị hệ thống", orgs[org_key].name if org_key else "—"))
    return rows
