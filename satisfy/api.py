"""Satisfy's JSON API: one NinjaAPI under ``/api/v1``, its authentication and errors.

Every error body has the same shape, ``{"detail": ...}``: a sentence, or for 422 a
list of ``{"loc": [...], "msg": ..., "type": ...}`` naming each bad field (handlers
raise ``ninja.errors.ValidationError`` with such a list for input that parsed but
does not make sense). A stack trace never leaves the server, whatever ``DEBUG`` says.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer, SessionAuth

from satisfy.accounts.models import ApiToken, User
from satisfy.accounts.services import hash_token_secret
from satisfy.org.api import router as org_router
from satisfy.responses.api import router as responses_router
from satisfy.surveys.api import router as surveys_router
from satisfy.surveys.definition import DefinitionError

logger = logging.getLogger(__name__)

TOKEN_SCHEME = "sat"  # noqa: S105 - the label in front of every token, not a secret
# last_used_at is a hint for people auditing tokens, not a log: one write a minute
# per token keeps the hot submit path free of an UPDATE on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def parse_token(raw: str) -> tuple[str, str] | None:
    """Split ``sat_<prefix>_<secret>`` into prefix and secret; None when malformed."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer sat_<prefix>_<secret>``: looked up by prefix, hash compared."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        parsed = parse_token(token)
        if parsed is None:
            return None
        prefix, secret = parsed
        try:
            # The prefix is unique: get() spares first()'s ORDER BY.
            row: ApiToken | None = ApiToken.objects.select_related("user").get(
                prefix=prefix, revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            row = None
        if row is None:
            # Hash anyway so a wrong prefix costs the same time as a wrong secret.
            hmac.compare_digest(hash_token_secret(secret), "0" * 64)
            return None
        if not hmac.compare_digest(hash_token_secret(secret), row.key_hash):
            return None
        if not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        # Handlers read request.user, whichever way the caller signed in.
        request.user = row.user
        return row.user


class CookieSessionAuth(SessionAuth):
    """Django's session, with ninja's CSRF check for unsafe methods.

    The check runs only when a session cookie came with the request, so a client
    sending a wrong bearer token (and no cookie) gets 401, not a CSRF 403.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return super().authenticate(request, key)


def _docs_url() -> str | None:
    # With "ninja" in INSTALLED_APPS the Swagger UI is served from our own static
    # files; without it ninja loads it from a CDN, which we allow only in DEBUG.
    if "ninja" in settings.INSTALLED_APPS or settings.DEBUG:
        return "/docs"
    return None


api = NinjaAPI(
    title="Satisfy API",
    version="1",
    description=(
        "Surveys, responses and exports. Authenticate with "
        "`Authorization: Bearer sat_…` (see `satisfy create_api_token`) or a "
        "signed-in session (unsafe methods then need the CSRF token)."
    ),
    urls_namespace="api-v1",
    auth=[ApiTokenAuth(), CookieSessionAuth()],
    docs_url=_docs_url(),
)


def _detail(request: HttpRequest, detail: object, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def _clean_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep ``loc``, ``msg`` and ``type`` of pydantic-style errors (no echoed input)."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "value_error")),
        }
        for error in errors
    ]


def field_path(field: str) -> list[str | int]:
    """``"pages[1].questions[0].code"`` -> ``["pages", 1, "questions", 0, "code"]``."""
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


def definition_errors(
    exc: DefinitionError, *, loc: Sequence[str] = ("body",)
) -> list[dict[str, Any]]:
    """The problems of a rejected definition as field errors under ``loc``."""
    return [
        {
            "loc": [*loc, *field_path(problem.field)],
            "msg": problem.message,
            "type": "definition_error",
        }
        for problem in exc.problems
    ]


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, str(exc) or "Not found.", 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _detail(request, str(exc) or "You do not have permission to do this.", 403)


@api.exception_handler(ValidationError)
def _invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _detail(request, _clean_errors(exc.errors), 422)


@api.exception_handler(DefinitionError)
def _invalid_definition(request: HttpRequest, exc: DefinitionError) -> HttpResponse:
    return _detail(request, definition_errors(exc), 422)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return _detail(request, "Internal server error.", 500)


api.add_router("/", surveys_router)
api.add_router("/", responses_router)
api.add_router("/", org_router)
api.add_router("/distribution", "satisfy.distribution.api.router")
api.add_router("/customers", "satisfy.customers.api.router")
api.add_router("/reports", "satisfy.reports.api.router")
api.add_router("/interactions", "satisfy.interactions.api.router")
