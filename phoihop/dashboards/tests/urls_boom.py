"""A URLconf whose only page fails, to see the 500 page (test only)."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("lỗi thử")


urlpatterns = [
    path("hong/", boom),
    path("", include("phoihop.urls")),
]
