"""Idempotent API writes: a client that sends a write with an ``Idempotency-Key`` header may
send it again (after a timeout, a lost answer) without it being carried out twice.

The first request with a key is carried out and its answer kept (`IdempotencyKey`) when it
succeeded (2xx); the same key with the same request (method, path and body) within
`KEY_LIFETIME` gets the kept answer back, marked ``Idempotent-Replayed: true``, and writes
nothing. The same key with another request answers 422. A failed request keeps nothing: it may
be retried with its key. Two copies sent at the same moment are safe: the write and its key are
stored in one transaction and the key is unique per user, so the second copy's transaction is
rolled back and it gets the first one's answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
KEY_LIFETIME = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, any unique string of up to 255 characters (a UUID). The same key with the "
        "same request within 24 hours answers the first answer again (header "
        "`Idempotent-Replayed: true`) and writes nothing; the same key with another request "
        "answers 422. Only a successful answer is kept: a failed request may be retried with "
        "its key."
    ),
)


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class _Replay(Exception):  # noqa: N818 - not an error: the kept answer, raised to skip the handler
    def __init__(self, kept: IdempotencyKey):
        self.kept = kept


def _replayed(kept: IdempotencyKey) -> Response:
    response = Response(kept.response_body, status=kept.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def _multipart_digest(request, digest) -> None:
    for name in sorted(request.data.keys()):
        for value in request.data.getlist(name):
            if hasattr(value, "chunks"):
                digest.update(f"{name}=file:{value.name}:".encode())
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(f"{name}={value}\n".encode())


class IdempotentMixin:
    """For an APIView or a viewset: its writes accept an ``Idempotency-Key`` header.

    A write handler runs in one transaction with its kept answer. A handler named in
    ``reads_first`` (viewset actions) reads what it needs before its writes and opens that
    transaction itself, with `write_and_answer`: on SQLite a transaction holds the database's
    one write lock from its first statement, so every other write waits for its reads too."""

    idempotent = True
    reads_first: frozenset[str] = frozenset()

    def _idempotency_key(self, request) -> str | None:
        if request.method not in WRITES:
            return None
        key = (request.META.get(META_KEY) or "").strip()
        return key or None

    def dispatch(self, request, *args, **kwargs):
        key = self._idempotency_key(request)
        if key is None:
            return super().dispatch(request, *args, **kwargs)
        self._raw_body = None
        if not (request.content_type or "").startswith("multipart/"):
            self._raw_body = request.body  # read before anything consumes the stream
        try:
            return super().dispatch(request, *args, **kwargs)
        except IntegrityError:
            # The same key was kept by a copy of this request that finished first: this copy's
            # transaction (the handler's writes and its key) was rolled back.
            kept = IdempotencyKey.objects.filter(user=self.request.user, key=self._idem_key).first()
            if kept is None or kept.request_hash != self._idem_hash:
                raise
            return self.finalize_response(self.request, _replayed(kept), *args, **kwargs)

    def _in_one_transaction(self, handler):
        """``handler`` with its writes and the kept answer in one transaction.

        Only the handler: the authentication, the permission checks and the key's lookup run
        before it and the answer's rendering after, outside. On SQLite a transaction takes the
        database's one write lock when it begins, so every other write waits for all of it.
        An exception leaves the transaction rolled back (nothing kept) and goes on to DRF's
        error handling; a unique key kept by a copy that finished first is an IntegrityError,
        which `dispatch` answers with that copy's answer."""

        def run(request, *args, **kwargs):
            with transaction.atomic():
                response = handler(request, *args, **kwargs)
                self._keep(response)
            return response

        return run

    def _reads_first(self, handler):
        """``handler``, which opens its write transaction itself (`write_and_answer`); a
        successful answer it gave without one (it wrote nothing) is kept after it."""

        def run(request, *args, **kwargs):
            self._kept = False
            response = handler(request, *args, **kwargs)
            if not self._kept:
                with transaction.atomic():
                    self._keep(response)
            return response

        return run

    def write_and_answer(self, write, answer):
        """``answer(write())`` with the writes and the kept answer in one transaction: for a
        handler of ``reads_first``, after its reads."""
        with transaction.atomic():
            response = answer(write())
            self._keep(response)
            self._kept = True
        return response

    def _request_hash(self, request) -> str:
        digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
        if self._raw_body is not None:
            digest.update(self._raw_body)
        else:
            _multipart_digest(request, digest)
        return digest.hexdigest()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idem_key = None
        key = self._idempotency_key(request)
        if key is None or not request.user.is_authenticated:
            return
        if len(key) > MAX_KEY_LENGTH:
            raise KeyReused(
                _("An Idempotency-Key is at most %(n)d characters long.") % {"n": MAX_KEY_LENGTH}
            )
        self._idem_key, self._idem_hash = key, self._request_hash(request)
        since = timezone.now() - KEY_LIFETIME
        kept = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if kept is not None and kept.created < since:
            kept.delete()  # expired: the key starts afresh
            kept = None
        if kept is None:
            # DRF looks the handler up after this: the one it finds runs in one transaction.
            name = request.method.lower()
            handler = getattr(self, name, None)
            if handler is not None:
                wrap = (
                    self._reads_first
                    if getattr(self, "action", None) in self.reads_first
                    else self._in_one_transaction
                )
                setattr(self, name, wrap(handler))
            return
        if kept.request_hash != self._idem_hash:
            raise KeyReused(
                _(
                    "This Idempotency-Key was already used for another request. Send a new "
                    "key with each new request."
                )
            )
        raise _Replay(kept)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return _replayed(exc.kept)
        return super().handle_exception(exc)

    def _keep(self, response) -> None:
        key = getattr(self, "_idem_key", None)
        if key is None or response.get("Idempotent-Replayed"):
            return
        if not 200 <= response.status_code < 300:
            return
        body = getattr(response, "data", None)
        body = json.loads(json.dumps(body, cls=JSONEncoder)) if body is not None else None
        # No savepoint: a key kept by a copy that finished first fails the whole transaction
        # (the handler's writes too), which `dispatch` answers with that copy's answer.
        with transaction.atomic(savepoint=False):
            IdempotencyKey.objects.create(
                user=self.request.user,
                key=key,
                method=self.request.method,
                path=self.request.path[:500],
                request_hash=self._idem_hash,
                response_status=response.status_code,
                response_body=body,
            )


def purge_expired(*, now: dt.datetime | None = None, batch: int = 5_000) -> tuple[int, dt.datetime]:
    """Delete the kept answers older than `KEY_LIFETIME` (their keys start afresh anyway);
    return how many and the cut-off. In batches by key, so a backlog never holds one long lock.
    Its one caller, ``manage.py idempotency_purge``, audits it."""
    before = (now or timezone.now()) - KEY_LIFETIME
    expired = IdempotencyKey.objects.filter(created__lt=before).order_by("pk")
    removed = 0
    while ids := list(expired.values_list("pk", flat=True)[:batch]):
        removed += IdempotencyKey.objects.filter(pk__in=ids).delete()[0]
    return removed, before
