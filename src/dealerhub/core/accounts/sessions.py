"""Server-side web sessions.

The browser's cookie carries a random token; the table keeps only its SHA-256, so a leaked copy of
the table opens no session. Each session has its own CSRF token (synchronizer pattern) and an
expiry; logging out deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import User, WebSession
from dealerhub.shared import clock


@dataclass(frozen=True)
class SessionUser:
    """The user behind a session, as plain data (safe to keep after the database session closed)."""

    user_id: int
    login: str
    full_name: str
    role: str
    language: str
    partner_id: int | None
    csrf_token: str
    expires_at: datetime

    @property
    def is_staff(self) -> bool:
        return self.partner_id is None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(s: Session, user_id: int, *, lifetime_hours: int) -> str:
    """Start a session for the user and return the token for the cookie (never stored as such)."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    s.execute(delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at <= now))
    s.execute(
        insert(WebSession).values(
            token_hash=token_hash(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=lifetime_hours),
        )
    )
    return token


def load_session(s: Session, token: str | None) -> SessionUser | None:
    """The live session of an active user for this token, or None."""
    if not token:
        return None
    row = s.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(
            WebSession.token_hash == token_hash(token), WebSession.expires_at > clock.now(), User.is_active
        )
    ).first()
    if row is None:
        return None
    web_session, user = row
    return SessionUser(
        user_id=user.id,
        login=user.login,
        full_name=user.full_name,
        role=user.role,
        language=user.language,
        partner_id=user.partner_id,
        csrf_token=web_session.csrf_token,
        expires_at=web_session.expires_at,
    )


def close_session(s: Session, token: str | None) -> None:
    if token:
        s.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def purge_expired_sessions(s: Session) -> int:
    """Delete every expired session; returns how many."""
    result = s.execute(delete(WebSession).where(WebSession.expires_at <= clock.now()))
    return result.rowcount or 0


def close_user_sessions(s: Session, user_id: int, *, keep_token: str | None = None) -> int:
    """End the user's sessions (a new password, a blocked user), all but `keep_token`'s if given."""
    condition = WebSession.user_id == user_id
    if keep_token:
        condition = condition & (WebSession.token_hash != token_hash(keep_token))
    result = s.execute(delete(WebSession).where(condition))
    return result.rowcount or 0
