from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from phoihop.accounts.services import may_manage_members
from phoihop.audit.recorder import history_for
from phoihop.core.vietnamese import sorted_vi
from phoihop.organizations import services
from phoihop.organizations.access import get_organization_for_user
from phoihop.organizations.forms import AsOfForm


@login_required
def organization_list(request):
    form = AsOfForm(request.GET or None)
    day = form.as_of_date()
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    nodes = services.organization_tree(day, q=q, kind=kind)
    template = "organizations/_tree.html" if request.headers.get("HX-Request") else "organizations/list.html"
    return render(request, template, {"form": form, "nodes": nodes, "day": day, "q": q})


@login_required
def organization_detail(request, pk: int):
    organization = get_organization_for_user(request.user, pk)
    day = timezone.localdate()
    before, after = services.lineage(organization)
    parents = organization.parent_links.select_related("parent").order_by("valid_from")
    children = organization.child_links.select_related("child").order_by("valid_from")
    positions = organization.positions.select_related("person").order_by("-valid_from")
    context = {
        "organization": organization,
        "day": day,
        "before": before,
        "after": after,
        "parents": parents,
        "children": sorted_vi(children, key=lambda link: link.child.name),
        "positions": positions,
        "history": history_for(organization)[:50],
        "may_manage_members": may_manage_members(request.user, organization.pk),
    }
    return render(request, "organizations/detail.html", context)
