"""Give every request an id, carried into the audit trail and the response headers."""

import contextvars
import uuid

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming and len(incoming) <= 64 and incoming.isprintable() else ""
        rid = rid or uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak Indonesian until the user switches (the language cookie); the API follows
    the client's Accept-Language, so other systems can ask for English per request.

    Office machines often run an English browser; that alone does not switch the user's pages.
    """

    def process_request(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
