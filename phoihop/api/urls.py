"""The REST API: one NinjaAPI wiring every app's router; errors always JSON, never a 500 page."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import HttpError

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

    api.add_router("/organizations", organizations)
    api.add_router("/almanac", almanac)
    api.add_router("/", programs)


_register_routers()
