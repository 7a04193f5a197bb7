"""The user's own account pages: private calendar links (feed tokens), changing one's password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phoihop.accounts import feeds, services
from phoihop.accounts.models import FeedToken, Membership
from phoihop.core.bounds import parse_id

LABEL_MAX = 100


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own page (old password, new one twice, the password rules), in the product's frame;
    a member given a temporary password by their administrator changes it here."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


def _feed_targets(request, wanted: str) -> list[dict]:
    """The feeds to show a new link for: the one asked (`program:CODE` or `org:ID`, through the
    access helpers: 404 for what the user may not see), then the user's own organisations."""
    targets, seen = [], set()
    kind, _sep, key = wanted.partition(":")
    resolve = feeds.resolver_for(kind) if key else None
    if resolve is not None:
        name, path = resolve(request.user, key)
        targets.append({"name": name, "path": path})
        if kind == "org":
            seen.add(parse_id(key))
    elif wanted:
        raise Http404
    for membership in Membership.objects.filter(user=request.user).select_related("organization"):
        organization = membership.organization
        if organization.pk not in seen:
            seen.add(organization.pk)
            targets.append({"name": organization.name,
                            "path": reverse("almanac:organization_feed", args=[organization.pk])})
    return targets


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_tokens(request):
    """/tai-khoan/lich-rieng/: the user's calendar links; create one (its URL shown once) or revoke one."""
    wanted = (request.POST.get("lich") or request.GET.get("lich") or "")[:80]
    targets = _feed_targets(request, wanted)
    created = raw = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "revoke":
            pk = request.POST.get("token", "")
            if parse_id(pk) is None:
                raise Http404
            token = get_object_or_404(FeedToken, pk=parse_id(pk), user=request.user)
            services.revoke_feed_token(token)
            messages.success(request, _("Đã thu hồi đường dẫn lịch “%(prefix)s…”: ứng dụng lịch dùng nó sẽ không "
                                        "đọc được lịch nữa.") % {"prefix": token.prefix})
            url = reverse("accounts:feed_tokens")
            return redirect(f"{url}?{urlencode({'lich': wanted})}" if wanted else url)
        if action != "create":
            messages.error(request, _("Yêu cầu không hợp lệ."))
            status = 400
        else:
            label = request.POST.get("label", "")
            if len(label) > LABEL_MAX:
                messages.error(request, _("Tên gợi nhớ dài tối đa %(n)s ký tự.") % {"n": LABEL_MAX})
                status = 422
            else:
                created, raw = services.issue_feed_token(request.user, label)
    links = []
    if raw:
        query = "?" + urlencode({"feed": raw})
        links = [{"name": t["name"], "url": request.build_absolute_uri(t["path"]) + query} for t in targets]
    context = {
        "tokens": FeedToken.objects.filter(user=request.user),
        "created": created,
        "links": links,
        "targets": targets,
        "wanted": wanted,
        "label_max": LABEL_MAX,
    }
    response = render(request, "accounts/feed_tokens.html", context, status=status)
    if raw:
        response["Cache-Control"] = "no-store"  # the raw token is on this page once
    return response
