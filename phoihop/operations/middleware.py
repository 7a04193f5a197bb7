"""Security headers Django 5.2 does not send itself: Content-Security-Policy (Django has it only
from 6.0), Permissions-Policy and Cross-Origin-Resource-Policy.

Referrer-Policy, Cross-Origin-Opener-Policy, X-Content-Type-Options and HSTS come from Django's
SecurityMiddleware, X-Frame-Options from XFrameOptionsMiddleware (settings in phoihop/settings.py).
A view may send its own value of any of these headers; it is then left alone.
"""

from __future__ import annotations

from django.conf import settings


def build_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(getattr(settings, "PHOIHOP_CSP", {}) or {})
        report_only = getattr(settings, "PHOIHOP_CSP_REPORT_ONLY", False)
        self.csp_header = "Content-Security-Policy-Report-Only" if report_only else "Content-Security-Policy"
        self.permissions_policy = getattr(settings, "PHOIHOP_PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers.setdefault(self.csp_header, self.policy)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
