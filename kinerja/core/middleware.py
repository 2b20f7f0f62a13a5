"""Request-wide pieces: an id per request (carried into the audit trail and the response
headers), the language rule, and the refusal of input that no field can hold."""

import contextvars
import uuid

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions

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


# The largest value a 64-bit integer column holds; ids beyond it cannot exist.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))
# Django's own error pages under /api/, said the way DRF says them.
ERROR_DETAILS = {
    400: exceptions.ParseError.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    405: _lazy("Method not allowed."),
    500: _lazy("A server error occurred."),
}
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


def _is_id_name(name: str) -> bool:
    return name in ("pk", "id") or name.endswith(("_pk", "_id"))


def bad_request(request, message: str):
    """Answer 400 with the message: JSON for the API, the error page for the pages."""
    if _is_api(request):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class BadInputMiddleware:
    """Refuse input that no field can hold, before any view or database sees it.

    A NUL character in a query parameter or form field (PostgreSQL refuses to store or even
    compare one), and an id in the URL beyond 64 bits (SQLite cannot compare with it): each is
    a 400 with a message, for every page and endpoint at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _has_nul(request.GET):
            return bad_request(
                request, _("The address contains a NUL character (code 0), which no field accepts.")
            )
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            try:
                post = request.POST
            except (OSError, SuspiciousOperation, MultiPartParserError):
                post = None  # an unreadable body is left for the view to report, as before
            if post is not None and _has_nul(post):
                return bad_request(
                    request,
                    _("The form contains a NUL character (code 0), which no field accepts."),
                )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # <int:...> converters give ints; DRF's lookups give the text of the path segment.
        for name, value in [*((None, v) for v in view_args), *view_kwargs.items()]:
            if isinstance(value, str) and name is not None and _is_id_name(name):
                # len() first: int() refuses text of more than 4300 digits outright.
                too_big = (
                    value.isascii()
                    and value.isdigit()
                    and (len(value) > MAX_ID_DIGITS or int(value) > MAX_ID)
                )
            else:
                too_big = isinstance(value, int) and value > MAX_ID
            if too_big:
                return bad_request(
                    request, _("An id is a whole number from 1 to %(max)s.") % {"max": MAX_ID}
                )
        return None


class ApiJsonErrorsMiddleware:
    """Answer every error under /api/ in JSON, as the schema documents it.

    DRF's views already do; this covers what happens before one is reached, such as an address
    that matches no route (an id written as 0.5) or an error page rendered by Django.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and _is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
        ):
            detail = ERROR_DETAILS.get(response.status_code)
            detail = str(detail) if detail else response.reason_phrase
            json_response = JsonResponse({"detail": detail}, status=response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After", "X-Request-ID", "Vary"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
