"""The REST API: one NinjaAPI wiring every app's router; errors always JSON, never a 500 page."""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled

from phoihop.api.auth import bearer, session

api = NinjaAPI(
    title="Phối Hợp API",
    version="1",
    description="API của Phối Hợp: tổ chức, chương trình phối hợp, sự kiện. Xác thực: `Authorization: Bearer <token>` (lệnh `phoihop createtoken USERNAME`).",
    auth=[bearer, session],
    urls_namespace="api",
)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "message_dict"):
        detail = exc.message_dict
    else:
        detail = {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) if str(exc) and not str(exc).startswith("No ") else "Không tìm thấy."
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(
        request, {"detail": "Nội dung gửi lên quá lớn (tối đa 16 MB); hãy chia thành nhiều lần gửi."}, status=413
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc):
    """SQLite cannot bind an integer beyond 64 bits (OverflowError); PostgreSQL refuses it, and a
    NUL character in text, with a DataError. Both come from the request's values."""
    return api.create_response(request, {
        "detail": "Giá trị gửi lên không hợp lệ: số quá lớn (mã số, tham số) hoặc văn bản có ký tự NUL."}, status=422)


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    """429 of phoihop.core.throttle (Retry-After is added by django-ninja)."""
    from phoihop.core.throttle import throttled_message

    return api.create_response(request, {"detail": throttled_message(max(1, math.ceil(exc.wait or 1)))}, status=429)


@api.exception_handler(OperationalError)
def operational_error(request, exc: OperationalError):
    """A statement cancelled by PHOIHOP_DB_STATEMENT_TIMEOUT_MS answers 503; anything else is a
    server error and is raised again."""
    from phoihop.core.protection import is_statement_timeout, statement_timeout_response

    if is_statement_timeout(exc):
        return statement_timeout_response(request)
    raise exc


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return api.create_response(
            request, {"detail": "Nội dung gửi lên không phải JSON hợp lệ."}, status=422
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from phoihop.almanac.api import router as almanac
    from phoihop.organizations.api import router as organizations
    from phoihop.programs.api import router as programs
    from phoihop.reporting.api import router as reporting
    from phoihop.results.api import router as results
    from phoihop.reviews.api import router as reviews

    api.add_router("/organizations", organizations)
    api.add_router("/almanac", almanac)
    api.add_router("/", programs)
    api.add_router("/", reporting)
    api.add_router("/", results)
    api.add_router("/", reviews)


_register_routers()
