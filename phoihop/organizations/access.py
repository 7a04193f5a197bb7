"""Organisations and administrative units are the public directory of logged-in users.

Their pages show nothing that is unapproved; per-organisation data (reports, drafts) is reached
through the access helpers of the apps that own it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from phoihop.accounts import permissions as perms
from phoihop.organizations.models import Organization


def get_organization_for_user(user, pk: int, action: str = perms.VIEW) -> Organization:
    if not user or not user.is_authenticated:
        raise Http404
    organization = Organization.objects.filter(pk=pk).select_related("administrative_unit").first()
    if organization is None:
        raise Http404("Không tìm thấy tổ chức.")
    if action != perms.VIEW and not perms.can(user, action, {organization.pk}):
        raise PermissionDenied
    return organization
