"""Organisations and administrative units are the public directory of logged-in users.

Their pages show nothing that is unapproved; per-organisation data (reports, drafts) is reached
through the access helpers of the apps that own it.
"""

from __future__ import annotations

from phoihop.accounts import permissions as perms
from phoihop.organizations.models import Organization


def get_organization_for_user(user, pk: int, action: str = perms.VIEW) -> Organization:
    directory = Organization.objects.select_related("administrative_unit")
    if not user or not user.is_authenticated:
        directory = directory.none()
    return perms.get_for_user(user, directory, action, pk=pk, not_found="Không tìm thấy tổ chức.",
                              owners=lambda o: {o.pk})
