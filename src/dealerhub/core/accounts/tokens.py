"""Single-use, expiring tokens: invitations, password resets, the second step of a login.

The raw token goes to the user (a link in a mail, a cookie); the table keeps its SHA-256 only.
Using a token is one conditional UPDATE (used_at IS NULL and not expired), so two concurrent uses
of the same link cannot both succeed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import AccountToken
from dealerhub.core.accounts.sessions import token_hash
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
LOGIN_SECOND_FACTOR = "login_2fa"
PURPOSES = (INVITATION, PASSWORD_RESET, LOGIN_SECOND_FACTOR)


class TokenInvalid(DomainError):
    """The link is unknown, expired or already used (deliberately not told apart)."""

    http_status = 410


def issue_token(
    s: Session, *, purpose: str, user_id: int, lifetime: timedelta, created_by: int | None = None
) -> str:
    """A new token for the user; returns the raw token (shown once, never stored)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    s.execute(
        insert(AccountToken).values(
            token_hash=token_hash(raw),
            purpose=purpose,
            user_id=user_id,
            created_by=created_by,
            created_at=now,
            expires_at=now + lifetime,
            used_at=None,
        )
    )
    return raw


def peek_token(s: Session, raw: str | None, purpose: str) -> int:
    """The user id of a live token (unused, unexpired), without using it; TokenInvalid otherwise."""
    if not raw:
        raise TokenInvalid(T("the link is not valid"))
    user_id = s.scalar(
        select(AccountToken.user_id).where(
            AccountToken.token_hash == token_hash(raw),
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > clock.now(),
        )
    )
    if user_id is None:
        raise TokenInvalid(T("the link has expired or was already used"))
    return user_id


def use_token(s: Session, raw: str | None, purpose: str) -> int:
    """Mark a live token used and return its user id; TokenInvalid when it is not live (also when
    a concurrent request used it a moment ago)."""
    user_id = peek_token(s, raw, purpose)
    now = clock.now()
    result = s.execute(
        update(AccountToken)
        .where(
            AccountToken.token_hash == token_hash(raw or ""),
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
    )
    if result.rowcount != 1:
        raise TokenInvalid(T("the link has expired or was already used"))
    return user_id


def revoke_tokens(s: Session, user_id: int, purpose: str) -> int:
    """Void the user's live tokens of this purpose (a new invitation replaces the old link)."""
    now = clock.now()
    result = s.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
    )
    return result.rowcount or 0


def last_issued_at(s: Session, user_id: int, purpose: str) -> datetime | None:
    """When the user's newest live token of this purpose was issued (None: there is none)."""
    return s.scalar(
        select(AccountToken.created_at)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > clock.now(),
        )
        .order_by(AccountToken.created_at.desc())
        .limit(1)
    )
