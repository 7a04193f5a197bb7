"""The REST API: one NinjaAPI wiring every app's router; errors always JSON, never a 500 page."""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as SchemaError

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


def _schema_message(error: dict) -> str:
    """A request that does not fit the schema, said in the reader's language (pydantic speaks
    English): the common cases by their type, the limit they name; anything else in general words."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])  # our own validators' message, already in the reader's language
    known = {
        "missing": _("Thiếu trường bắt buộc."),
        "extra_forbidden": _("Trường không có trong mô tả API."),
        "json_invalid": _("Nội dung gửi lên không phải JSON hợp lệ."),
        "string_type": _("Phải là một chuỗi ký tự."),
        "int_type": _("Phải là số nguyên."),
        "int_parsing": _("Phải là số nguyên."),
        "int_from_float": _("Phải là số nguyên."),
        "float_parsing": _("Phải là số."),
        "float_type": _("Phải là số."),
        "decimal_parsing": _("Phải là số."),
        "decimal_type": _("Phải là số."),
        "bool_parsing": _("Phải là true hoặc false."),
        "bool_type": _("Phải là true hoặc false."),
        "date_parsing": _("Ngày không hợp lệ; dùng dạng yyyy-mm-dd."),
        "date_from_datetime_parsing": _("Ngày không hợp lệ; dùng dạng yyyy-mm-dd."),
        "date_type": _("Ngày không hợp lệ; dùng dạng yyyy-mm-dd."),
        "datetime_parsing": _("Thời điểm không hợp lệ; dùng dạng ISO 8601."),
        "datetime_from_date_parsing": _("Thời điểm không hợp lệ; dùng dạng ISO 8601."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "model_type": _("Phải là một đối tượng JSON."),
        "string_pattern_mismatch": _("Không đúng định dạng cho phép."),
        "enum": _("Giá trị không nằm trong danh sách cho phép."),
        "literal_error": _("Giá trị không nằm trong danh sách cho phép."),
    }
    if kind in known:
        return known[kind]
    limits = {
        "string_too_long": _("Dài quá %(n)s ký tự."),
        "string_too_short": _("Cần ít nhất %(n)s ký tự."),
        "too_long": _("Nhiều quá %(n)s phần tử."),
        "too_short": _("Cần ít nhất %(n)s phần tử."),
        "greater_than_equal": _("Phải lớn hơn hoặc bằng %(n)s."),
        "greater_than": _("Phải lớn hơn %(n)s."),
        "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(n)s."),
        "less_than": _("Phải nhỏ hơn %(n)s."),
    }
    if kind in limits:
        limit = next((ctx[k] for k in ("max_length", "min_length", "ge", "gt", "le", "lt") if k in ctx), "")
        return limits[kind] % {"n": limit}
    return _("Giá trị không hợp lệ.")


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    """Each error keeps its place (`loc`) and kind (`type`, for programs); its message is ours."""
    detail = [{"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": _schema_message(e)} for e in exc.errors]
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
            request, {"detail": _("Nội dung gửi lên không phải JSON hợp lệ.")}, status=422
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
