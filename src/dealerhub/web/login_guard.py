"""Logging in with throttling, for every face's login form (staff and dealers alike).

The limits come from the settings (login_throttle_window_minutes, login_max_failures_per_account,
login_max_failures_per_ip). A failure is written in its own short transaction, because the
login's transaction rolls back when the form is rejected. The client address is the connection's
peer; behind a reverse proxy run uvicorn with --proxy-headers (and --forwarded-allow-ips) so that
it is the real client's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dealerhub.core.accounts import (
    InvalidCredentials,
    LoginThrottled,
    ThrottleLimits,
    authenticate,
    check_login_allowed,
    clear_failures,
    record_failure,
)
from dealerhub.core.accounts.models import User
from dealerhub.shared.texts import T
from dealerhub.web.deps import get_db
from dealerhub.web.forms import GENERAL, FormReader, FormRejected
from dealerhub.web.i18n import N_

TOO_MANY_FAILURES = N_("Too many failed logins. For your account's safety, logging in is paused.")


def limits(request: Request) -> ThrottleLimits:
    settings = request.app.state.settings
    return ThrottleLimits(
        window=timedelta(minutes=settings.login_throttle_window_minutes),
        per_account=settings.login_max_failures_per_account,
        per_ip=settings.login_max_failures_per_ip,
    )


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_allowed(request: Request, s: Session, login: str) -> None:
    """LoginThrottled when this login or this client is at its limit of failures."""
    check_login_allowed(s, login=login, ip=client_ip(request), limits=limits(request))


def note_failure(request: Request, login: str) -> None:
    """Count a failed login (password or second factor), committed on its own."""
    with get_db(request).transaction() as s:
        record_failure(s, login=login, ip=client_ip(request), limits=limits(request))


def note_success(s: Session, login: str) -> None:
    clear_failures(s, login=login)


def log_in(
    request: Request, login: str, password: str, on_success: Callable[[Session, User], Response]
) -> Response:
    """Authenticate behind the throttle and answer with on_success(s, user), in one transaction.

    Raises LoginThrottled (nothing checked, nothing written) or InvalidCredentials, after counting
    the failure in a transaction of its own once the login's transaction has ended (on SQLite
    there is one writer at a time). The handler must not hold a WriteSession of its own.
    """
    with get_db(request).transaction() as s:
        check_allowed(request, s, login)
        try:
            user = authenticate(s, login=login, password=password)
        except InvalidCredentials:
            pass
        else:
            return on_success(s, user)
    note_failure(request, login)
    raise InvalidCredentials(T("wrong login or password"))


def throttled_form(reader: FormReader, error: LoginThrottled, template: str, context: dict) -> FormRejected:
    """The login form again with the throttle's message, status 429 and Retry-After."""
    reader.errors[GENERAL] = TOO_MANY_FAILURES
    rejection = reader.rejected(template, {**context, "retry_minutes": math.ceil(error.retry_after / 60)})
    rejection.status_code = 429
    rejection.headers["Retry-After"] = str(error.retry_after)
    return rejection
