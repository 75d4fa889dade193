from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie set by the
    switch in the header). The browser's Accept-Language is ignored on purpose: the
    interface is Chinese by default wherever it is opened."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
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
