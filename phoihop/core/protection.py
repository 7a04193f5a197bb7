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


# ---------------------------------------------------------------- input limits and bounded cost

def limit_response(request, status: int, title: str, message: str, retry_after: int | None = None):
    """A refusal of the service itself (413, 429, 503): JSON `{"detail": …}` for the API, else a
    small page that needs neither the session nor the database (it may be sent before either)."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        body = render_to_string("operations/limit.html", {"code": status, "title": title, "message": message})
        response = HttpResponse(body, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(max(1, int(retry_after)))
    # No "Connection: close": it is a hop-by-hop header a WSGI application may not send (wsgiref,
    # hence runserver, turns it into a 500); the server decides about the connection.
    return response


def body_limit(request) -> int:
    """Bytes a request body may have: a file upload (multipart) at most PHOIHOP_MAX_UPLOAD_BYTES
    plus the form around it; any other body DATA_UPLOAD_MAX_MEMORY_SIZE (the bulk API's JSON)."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return settings.PHOIHOP_MAX_UPLOAD_BYTES + settings.PHOIHOP_UPLOAD_FORM_OVERHEAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_big_response(request, size: int | None = None):
    from django.utils.translation import gettext as _

    limit = body_limit(request)
    megabytes = max(1, round(limit / (1024 * 1024)))
    if size:
        message = _("Tệp quá lớn (khoảng %(size)s MB); chỉ nhận đến %(max)s MB mỗi lần gửi. Không có gì được ghi.") % {
            "size": max(1, round(size / (1024 * 1024))), "max": megabytes}
    else:
        message = _("Tệp quá lớn: chỉ nhận đến %(max)s MB mỗi lần gửi. Không có gì được ghi.") % {"max": megabytes}
    return limit_response(request, 413, _("Nội dung gửi lên quá lớn"), message)


class RequestSizeLimitMiddleware:
    """413 for a body over the limit, on every server (runserver included), before anything reads
    it: the Content-Length is compared first; a body without one that turns out too big makes
    Django raise RequestDataTooBig, answered 413 here too instead of a bare 400 or 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            return too_big_response(request, length)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import RequestDataTooBig

        if isinstance(exception, RequestDataTooBig):
            return too_big_response(request)
        return None


def is_statement_timeout(exc: BaseException) -> bool:
    """A statement PostgreSQL cancelled (statement_timeout, SQLSTATE 57014 query_canceled)."""
    seen = 0
    while exc is not None and seen < 5:
        if getattr(exc, "sqlstate", None) == "57014" or getattr(getattr(exc, "diag", None), "sqlstate", None) == "57014":
            return True
        exc, seen = exc.__cause__, seen + 1
    return False


def statement_timeout_response(request):
    from django.utils.translation import gettext as _

    seconds = max(1, settings.PHOIHOP_DB_STATEMENT_TIMEOUT_MS // 1000)
    message = _("Yêu cầu này cần quá nhiều thời gian (hơn %(s)s giây) nên đã bị dừng; không có gì được ghi. "
                "Hãy thu hẹp khoảng thời gian hoặc số chương trình, rồi thử lại.") % {"s": seconds}
    return limit_response(request, 503, _("Yêu cầu bị dừng vì quá lâu"), message, retry_after=30)


class StatementTimeoutMiddleware:
    """On PostgreSQL, every statement of a web request is cancelled after
    PHOIHOP_DB_STATEMENT_TIMEOUT_MS (0 = no limit) and the request answered 503: one expensive
    request cannot hold a connection and a core for minutes. Commands, migrations, backups and the
    benchmark generator never pass through a middleware, so they keep PostgreSQL's default (none).

    The limit is set for the session just before the request's first statement (a request that
    reads nothing opens no connection) and reset at its end (the connection may be reused). Set
    inside a transaction, a SET is undone if that transaction rolls back: until it has been set
    outside any transaction (the session lookup, usually), it is set again before each statement.
    A test case's own transaction counts as outside."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        timeout = int(getattr(settings, "PHOIHOP_DB_STATEMENT_TIMEOUT_MS", 0) or 0)
        if timeout <= 0 or connection.vendor != "postgresql":
            return self.get_response(request)
        state = {"durable_on": None, "set": False}

        def set_timeout(execute, sql, params, many, context):
            raw = connection.connection
            if state["durable_on"] is not raw:
                with connection.wrap_database_errors, raw.cursor() as cursor:
                    cursor.execute(f"SET statement_timeout = {timeout}")
                state["set"] = True
                if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
                    state["durable_on"] = raw
            return execute(sql, params, many, context)

        with connection.execute_wrapper(set_timeout):
            try:
                return self.get_response(request)
            finally:
                if state["set"]:
                    self._reset(connection)

    @staticmethod
    def _reset(connection) -> None:
        from django.db import DatabaseError

        if connection.connection is None:
            return  # closed during the request: a new connection starts with the default
        try:
            with connection.wrap_database_errors, connection.connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        except DatabaseError:
            # Only inside a transaction that failed (a test case's, or a caller's atomic block):
            # its rollback undoes the SET as well, PostgreSQL's SET being transactional.
            pass

    def process_exception(self, request, exception):
        if is_statement_timeout(exception):
            return statement_timeout_response(request)
        return None
