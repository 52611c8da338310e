"""Storekeepers' sessions and CSRF, apart from the core's (the WMS has its own users and database).

A session is a signed cookie: {storekeeper, warehouse, nonce, issued}. The signature's key mixes
the app secret with the storekeeper's password hash, so changing the password ends every session
of that person; a deactivated storekeeper is refused on the next request; a session lives one shift
(`session_lifetime_hours`). Logout deletes the cookie.

CSRF: every POST of a logged-in storekeeper carries HMAC(secret, "csrf:" + nonce) in the form field
`csrf_token` or the header `X-CSRF-Token` (htmx sends it from <body hx-headers>), checked before the
handler runs, so a forged request changes nothing. The login form uses a signed double-submit
cookie (a nonce in a cookie, its HMAC in the form).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dealerhub.shared.errors import PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.staff.models import Storekeeper

SESSION_COOKIE = "wms_session"
LOGIN_COOKIE = "wms_login_nonce"
LANGUAGE_COOKIE = "wms_lang"
WAREHOUSE_COOKIE = "wms_warehouse"  # the warehouse this device last logged in to (not a credential)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NotLoggedIn(Exception):
    """No valid storekeeper session: pages go to the login form."""


class CsrfRejected(PermissionDenied):
    """The form's security token is missing or wrong."""


class SupervisorsOnly(PermissionDenied):
    """The page is the supervisor's."""


@dataclass(frozen=True)
class Keeper:
    """The storekeeper behind the request."""

    id: int
    login: str
    name: str
    role: str
    warehouse_id: int
    csrf_token: str
    warehouse_code: str = ""

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _user_key(secret: bytes, password_hash: str) -> bytes:
    return hashlib.sha256(secret + b"\0wms-session\0" + password_hash.encode()).digest()


def session_cookie(secret: bytes, user: Storekeeper, warehouse_id: int) -> str:
    body = json.dumps({"u": user.id, "w": warehouse_id, "n": secrets.token_urlsafe(16), "t": int(time.time())},
                      separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(body.encode()).decode()
    return f"{encoded}.{_sign(_user_key(secret, user.password_hash), encoded)}"


def csrf_token(secret: bytes, nonce: str) -> str:
    return _sign(secret, f"wms-csrf:{nonce}")


def read_session(secret: bytes, cookie: str | None, s: Session, lifetime_seconds: int) -> Keeper | None:
    """The storekeeper of a valid, unexpired session cookie, else None."""
    if not cookie or "." not in cookie:
        return None
    encoded, signature = cookie.rsplit(".", 1)
    try:
        body = json.loads(base64.urlsafe_b64decode(encoded.encode()))
        user_id, warehouse_id, nonce, issued = int(body["u"]), int(body["w"]), str(body["n"]), int(body["t"])
    except (ValueError, KeyError, TypeError):
        return None
    if time.time() - issued > lifetime_seconds:
        return None
    user = s.get(Storekeeper, user_id)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(signature, _sign(_user_key(secret, user.password_hash), encoded)):
        return None
    warehouse = s.get(Warehouse, warehouse_id)
    if warehouse is None:
        return None
    return Keeper(user.id, user.login, user.name, user.role, warehouse_id, csrf_token(secret, nonce), warehouse.code)


def login_token(secret: bytes, nonce: str) -> str:
    return _sign(secret, f"wms-login:{nonce}")


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(expected.encode(), given.encode())


async def submitted_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


# --- request dependencies -------------------------------------------------------------------------

def db_session(request: Request) -> Iterator[Session]:
    """The request's one unit of work in the WMS database: committed after the handler returned,
    before the answer goes out; on any exception nothing of it stays."""
    with request.app.state.db.transaction() as session:
        yield session


def read_db_session(request: Request) -> Iterator[Session]:
    """A reading session for a page (rolled back at the end)."""
    with request.app.state.db.session() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
ReadDb = Annotated[Session, Depends(read_db_session, scope="function")]


def optional_keeper(request: Request) -> Keeper | None:
    cached = getattr(request.state, "keeper", False)
    if cached is not False:
        return cached
    state = request.app.state
    with state.db.session() as s:
        keeper = read_session(state.secret, request.cookies.get(SESSION_COOKIE), s,
                              state.settings.session_lifetime_hours * 3600)
    request.state.keeper = keeper
    return keeper


async def current_keeper(request: Request) -> Keeper:
    """The logged-in storekeeper; unsafe methods must carry the session's CSRF token."""
    keeper = optional_keeper(request)
    if keeper is None:
        raise NotLoggedIn()
    if request.method not in SAFE_METHODS and not tokens_match(keeper.csrf_token, await submitted_token(request)):
        raise CsrfRejected(T("the form's security token is missing or wrong: reload the page and try again"))
    return keeper


async def current_supervisor(keeper: Annotated[Keeper, Depends(current_keeper)]) -> Keeper:
    if not keeper.is_supervisor:
        raise SupervisorsOnly(T("this page is for supervisors"))
    return keeper


CurrentKeeper = Annotated[Keeper, Depends(current_keeper)]
CurrentSupervisor = Annotated[Keeper, Depends(current_supervisor)]


def new_nonce() -> str:
    return secrets.token_urlsafe(32)
