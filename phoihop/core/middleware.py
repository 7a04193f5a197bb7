from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language (cookie from the language menu).

    The browser's Accept-Language is ignored on purpose: officials' machines often run an
    English browser, and the product is Vietnamese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulCharactersMiddleware:
    """PostgreSQL can neither store nor compare text holding a NUL character (0x00): a request with
    one in its path, query string or form fields is answered 400 before any view runs (it would
    be a 500 on PostgreSQL and is never legitimate). Multipart bodies are left to the views (the
    Excel upload checks the size before anything parses the body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        fields = list(request.GET.lists())
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            fields += list(request.POST.lists())
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in values) for k, values in fields):
            return HttpResponseBadRequest("Yêu cầu có ký tự không hợp lệ (NUL).", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
