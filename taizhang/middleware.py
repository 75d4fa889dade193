import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)


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


class DatabaseUnavailableMiddleware:
    """The database cannot be reached (restarting, the network, a replica and the primary
    both down): a clear 503 "暂时无法访问" with Retry-After, not a 500. Django drops the
    failed connection when the request ends, so the next one connects afresh once the
    server is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if _disk_full(exception):
            return no_space(request)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # Django drops a connection that failed when the request ends (its errors_occurred).
        logger.warning("database unavailable: %s: %s", type(exception).__name__, exception)
        return unavailable(request)


def unavailable(request):
    from django.http import JsonResponse
    from django.template.loader import render_to_string

    if request.path == "/healthz":  # the database failed before the view (the session)
        body = {"status": "down", "database": {"ok": False}, "replicas": [],
                "worker": {"running": None}}  # fmt: skip
        return JsonResponse(body, status=503)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "暂时无法访问：数据库暂时不可用，请稍后重试。", "code": "unavailable"},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    """The 500 handler: a database that cannot be reached, met anywhere in the request (a
    middleware reading the session as well as a view), answers 503 instead."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.views.defaults import server_error as plain_server_error

    exception = sys.exc_info()[1]
    if _disk_full(exception):
        return no_space(request)
    if isinstance(exception, OperationalError | InterfaceError):
        return unavailable(request)
    return plain_server_error(request)


def _disk_full(exception):
    import errno

    return isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT)


def no_space(request):
    """The server's disk is full (an upload being received, a file being written): 507,
    and nothing was saved (the write's transaction never began or is rolled back)."""
    from django.http import JsonResponse
    from django.template.loader import render_to_string

    logger.error("no space left on the server's disk: %s", request.path)
    if request.path.startswith("/api/"):
        text = "服务器存储空间不足，本次提交未保存任何内容。请稍后重试，或联系系统管理员。"
        return JsonResponse({"detail": text, "code": "no_space"}, status=507)
    return HttpResponse(render_to_string("507.html"), status=507)
