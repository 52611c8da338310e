"""CSRF protection.

- Logged in: the synchronizer-token pattern. Each session row holds a random token; every unsafe
  request (POST, PUT, PATCH, DELETE) must carry it in the form field `csrf_token` or the header
  `X-CSRF-Token`, else 403 before the handler runs, so nothing changes.
- The login form (no session yet): a signed double-submit cookie. GET /login sets a random nonce
  in a cookie and puts HMAC(secret, nonce) in the form; POST /login checks that they belong
  together. A site that can neither read our cookie nor knows the secret cannot forge the pair.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from dealerhub.shared.errors import PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.deps import current_user

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_COOKIE = "dh_login_nonce"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRejected(PermissionDenied):
    """The request's CSRF token is missing or does not belong to the session."""


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def submitted_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def verify_csrf(request: Request) -> None:
    """Router dependency of every logged-in page: unsafe methods need the session's token."""
    if request.method in SAFE_METHODS:
        return
    user = current_user(request)
    if not tokens_match(user.csrf_token, await submitted_token(request)):
        raise CsrfRejected(T("the form's security token is missing or wrong: reload the page and try again"))


def new_login_nonce() -> str:
    return secrets.token_urlsafe(32)


def login_token(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


async def verify_login_csrf(request: Request) -> None:
    """Dependency of POST /login: the form's token must be the signature of the cookie's nonce."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    expected = login_token(request.app.state.csrf_secret, nonce) if nonce else None
    if not tokens_match(expected, await submitted_token(request)):
        raise CsrfRejected(T("the login form expired: reload the page and try again"))
