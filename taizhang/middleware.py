from django.conf import settings
from django.http import Http404
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie set by the
    switch in the header). The browser's Accept-Language is ignored on purpose: the
    interface is Chinese by default wherever it is opened. The API alone follows
    Accept-Language, since the systems calling it say what they read."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/"):
            # Another system speaks to the API: its Accept-Language chooses (Chinese if none).
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Signed-in pages and every download carry `Cache-Control: no-store`: what one user saw
    must not stay in a shared browser's or a proxy's cache. Static assets are served before
    this middleware (WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            response.headers["Cache-Control"] = "no-store"
        return response


class NulByteMiddleware:
    """A NUL character in the query string is never part of a real request, and PostgreSQL
    refuses it in any text it is given: such a request answers 404 before it reaches a
    query. (Form fields already refuse it with a message.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                from taizhang.api.views.base import not_found

                return not_found(request)
            raise Http404
        return self.get_response(request)
