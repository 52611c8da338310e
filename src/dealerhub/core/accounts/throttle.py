"""Login throttling: failed logins are counted per login and per client address over a sliding
window; at the limit, logins are refused until enough failures leave the window.

The counts live in the database (login_attempts), so every web worker on every machine sees the
same ones. Failures are recorded in their own short transaction by the caller (the login's own
transaction rolls back on a failure). Both checks run before the password is verified, so a
throttled login costs no hashing and tells nothing about the password.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import LoginAttempt
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T


class LoginThrottled(DomainError):
    """Too many failed logins for this login or from this address; retry_after in seconds."""

    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class ThrottleLimits:
    window: timedelta
    per_account: int
    per_ip: int


def _normal(login: str) -> str:
    return login.strip().lower()[:100]


def _retry_after(
    s: Session, column: Any, value: str, limit: int, since: datetime, window: timedelta
) -> int | None:
    """Seconds until fewer than `limit` failures are left in the window; None when under it."""
    recent = s.scalars(
        select(LoginAttempt.attempted_at)
        .where(column == value, LoginAttempt.attempted_at > since)
        .order_by(LoginAttempt.attempted_at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    # The oldest of the last `limit` failures: once it leaves the window, one more try is allowed.
    seconds = (recent[-1] + window - clock.now()).total_seconds()
    return max(1, math.ceil(seconds))


def check_login_allowed(s: Session, *, login: str, ip: str, limits: ThrottleLimits) -> None:
    """Raise LoginThrottled when the login or the address reached its limit of failures."""
    since = clock.now() - limits.window
    waits = [
        _retry_after(s, LoginAttempt.login, _normal(login), limits.per_account, since, limits.window),
        _retry_after(s, LoginAttempt.ip, ip[:45], limits.per_ip, since, limits.window),
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise LoginThrottled(T("too many failed logins: try again in %(minutes)s min", minutes=minutes), retry_after=wait)


def record_failure(s: Session, *, login: str, ip: str, limits: ThrottleLimits) -> None:
    """Count a failed login. Failures of this login or this address that left the window are
    dropped on the way (both by an index), so the table holds little more than the window."""
    now = clock.now()
    old = LoginAttempt.attempted_at <= now - limits.window
    s.execute(delete(LoginAttempt).where(LoginAttempt.login == _normal(login), old))
    s.execute(delete(LoginAttempt).where(LoginAttempt.ip == ip[:45], old))
    s.execute(insert(LoginAttempt).values(login=_normal(login), ip=ip[:45], attempted_at=now))


def clear_failures(s: Session, *, login: str) -> None:
    """A successful login (or a new password) starts the login's count afresh; the address's
    failures stay (they count tries at every login from there)."""
    s.execute(delete(LoginAttempt).where(LoginAttempt.login == _normal(login)))


def purge_login_attempts(s: Session, *, older_than: timedelta) -> int:
    """Delete failures older than the window (housekeeping); returns how many."""
    result = s.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= clock.now() - older_than))
    return result.rowcount or 0
