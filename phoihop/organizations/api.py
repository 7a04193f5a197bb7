import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from phoihop.core.bounds import check_date
from phoihop.organizations import services

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent: int | None
    parent_name: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None


@router.get("", response=list[OrganizationOut], summary="Tổ chức tại một ngày")
def list_organizations(request, as_of: dt.date | None = None, q: str = "", kind: str = ""):
    """Organisations in force on `as_of` (default: today), searched without diacritics by `q`."""
    check_date(as_of, "as_of", "as_of")
    day = as_of or timezone.localdate()
    nodes = services.organization_tree(day, q=q[:100], kind=kind)
    return [
        {
            "id": n.organization.pk,
            "name": n.organization.name,
            "short_name": n.organization.short_name,
            "kind": n.organization.kind,
            "parent": n.parent.pk if n.parent else None,
            "parent_name": n.parent.name if n.parent else None,
            "valid_from": n.organization.valid_from,
            "valid_to": n.organization.valid_to,
        }
        for n in nodes
    ]
