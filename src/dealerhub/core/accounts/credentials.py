"""Changing a password: by the user (knowing the current one) or by an e-mailed reset link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import tokens
from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.service import (
    InvalidUserData,
    UserNotFound,
    check_password_rules,
    normalize_login,
)
from dealerhub.core.accounts.sessions import close_user_sessions
from dealerhub.core.accounts.throttle import clear_failures
from dealerhub.core.audit import record_change
from dealerhub.shared import clock
from dealerhub.shared.passwords import hash_password, verify_password
from dealerhub.shared.texts import T


def change_password(
    s: Session, target_user_id: int, *, current: str, new: str, keep_session: str | None
) -> None:
    """The user's own change: the current password is asked; the user's other sessions end."""
    user = s.get(User, target_user_id)
    if user is None:
        raise UserNotFound(T("the user was not found"), user_id=target_user_id)
    if not verify_password(user.password_hash, current):
        raise InvalidUserData(T("the current password is wrong"), field="current_password")
    check_password_rules(new, field="new_password")
    user.password_hash = hash_password(new)
    close_user_sessions(s, user.id, keep_token=keep_session)
    record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="change_password")
    s.flush()


def find_user_for_reset(s: Session, login_or_email: str, *, dealers_only: bool) -> User | None:
    """The active user with this login, else the one active user with this e-mail (None when
    unknown or ambiguous: the answer to the requester is the same either way)."""
    key = normalize_login(login_or_email)
    if not key:
        return None
    base = select(User).where(User.is_active)
    if dealers_only:
        base = base.where(User.partner_id.is_not(None))
    user = s.scalar(base.where(User.login == key))
    if user is not None:
        return user
    found = s.scalars(base.where(func.lower(User.email) == key).limit(2)).all()
    return found[0] if len(found) == 1 else None


def request_password_reset(
    s: Session, login_or_email: str, *, lifetime: timedelta, min_interval: timedelta, dealers_only: bool
) -> tuple[User, str] | None:
    """A reset token for the user behind the login or e-mail, or None: unknown, no e-mail to send
    it to, or a link was sent less than `min_interval` ago (a mailbox is not flooded)."""
    user = find_user_for_reset(s, login_or_email, dealers_only=dealers_only)
    if user is None or not user.email:
        return None
    last = tokens.last_issued_at(s, user.id, tokens.PASSWORD_RESET)
    if last is not None and clock.now() - last < min_interval:
        return None
    raw = tokens.issue_token(s, purpose=tokens.PASSWORD_RESET, user_id=user.id, lifetime=lifetime)
    record_change(s, user_id=None, entity_type="user", entity_id=user.id, action="request_password_reset")
    return user, raw


def reset_password(s: Session, raw: str | None, *, new: str) -> User:
    """Set the password by a live reset link (used up now); every session of the user ends and the
    login's failed attempts are forgotten."""
    check_password_rules(new, field="new_password")
    user = s.get(User, tokens.use_token(s, raw, tokens.PASSWORD_RESET))
    if user is None or not user.is_active:
        raise tokens.TokenInvalid(T("the link has expired or was already used"))
    tokens.revoke_tokens(s, user.id, tokens.PASSWORD_RESET)
    user.password_hash = hash_password(new)
    close_user_sessions(s, user.id)
    clear_failures(s, login=user.login)
    record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="reset_password")
    s.flush()
    return user


def set_profile(s: Session, target_user_id: int, *, full_name: str, phone: str | None) -> None:
    user = s.get(User, target_user_id)
    if user is None:
        raise UserNotFound(T("the user was not found"), user_id=target_user_id)
    full_name = full_name.strip()
    if not full_name:
        raise InvalidUserData(T("a name is required"), field="full_name")
    if (user.full_name, user.phone) != (full_name, phone):
        record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="edit_profile")
        user.full_name, user.phone = full_name[:200], (phone or None)
        s.flush()
