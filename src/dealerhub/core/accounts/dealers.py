"""Dealer companies' users: invitations, roles, blocking. Used by the company's owner in the
cabinet and by the distributor's staff in the back office (the same rules for both).

A company keeps at least one active owner: the last one can be neither demoted nor blocked.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import tokens
from dealerhub.core.accounts.models import DEALER_ROLES, User
from dealerhub.core.accounts.service import (
    UI_LANGUAGES,
    InvalidUserData,
    LoginTaken,
    UserNotFound,
    check_password_rules,
    normalize_login,
)
from dealerhub.core.accounts.sessions import close_user_sessions
from dealerhub.core.audit import record_change
from dealerhub.core.partners.models import Partner
from dealerhub.shared import clock
from dealerhub.shared.errors import Conflict
from dealerhub.shared.passwords import hash_password
from dealerhub.shared.texts import T

OWNER = "owner"
# Not an Argon2 hash: verifies against no password (an invited user has none yet).
NO_PASSWORD = "!"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LastOwner(Conflict):
    """The company would be left without an active owner."""


class UserNotInvited(Conflict):
    """The user has already accepted the invitation (or was blocked)."""


def company_users(s: Session, partner_id: int) -> list[User]:
    return list(s.scalars(select(User).where(User.partner_id == partner_id).order_by(User.full_name, User.id)))


def get_company_user(s: Session, partner_id: int, target_id: int) -> User:
    """The company's user; UserNotFound (404) also when the id is another company's or staff's."""
    user = s.scalar(select(User).where(User.id == target_id, User.partner_id == partner_id))
    if user is None:
        raise UserNotFound(T("the user was not found"), user_id=target_id)
    return user


def _check_role(role: str) -> None:
    if role not in DEALER_ROLES:
        raise InvalidUserData(T("unknown role '%(role)s'", role=role), field="role")


def invite_user(
    s: Session,
    *,
    user_id: int,
    partner_id: int,
    email: str,
    full_name: str,
    role: str,
    language: str,
    lifetime: timedelta,
) -> tuple[User, str]:
    """A new, inactive user of the company with the e-mail as login, and the invitation token for
    the mail (the user chooses a password by the link)."""
    email = normalize_login(email)
    if not _EMAIL.match(email) or len(email) > 100:
        raise InvalidUserData(T("enter a valid e-mail address"), field="email")
    full_name = full_name.strip()
    if not full_name:
        raise InvalidUserData(T("a name is required"), field="full_name")
    _check_role(role)
    if language not in UI_LANGUAGES:
        raise InvalidUserData(T("unknown interface language '%(language)s'", language=language), field="language")
    if s.scalar(select(func.count()).select_from(User).where(User.login == email)):
        raise LoginTaken(T("a user with this e-mail already exists"), field="email")
    user = User(
        login=email,
        password_hash=NO_PASSWORD,
        full_name=full_name[:200],
        email=email,
        role=role,
        partner_id=partner_id,
        language=language,
        is_active=False,
        invited_at=clock.now(),
        totp_enabled=False,
    )
    s.add(user)
    s.flush()
    record_change(
        s, user_id=user_id, entity_type="user", entity_id=user.id, action="invite", role=role, login=email
    )
    raw = tokens.issue_token(
        s, purpose=tokens.INVITATION, user_id=user.id, lifetime=lifetime, created_by=user_id
    )
    return user, raw


def reinvite_user(
    s: Session, *, user_id: int, partner_id: int, target_id: int, lifetime: timedelta
) -> tuple[User, str]:
    """A new invitation link for a user who has not accepted yet (the old links stop working)."""
    user = get_company_user(s, partner_id, target_id)
    if user.status != "invited":
        raise UserNotInvited(T("the user has already accepted the invitation or is blocked"))
    tokens.revoke_tokens(s, user.id, tokens.INVITATION)
    user.invited_at = clock.now()
    record_change(s, user_id=user_id, entity_type="user", entity_id=user.id, action="reinvite")
    raw = tokens.issue_token(
        s, purpose=tokens.INVITATION, user_id=user.id, lifetime=lifetime, created_by=user_id
    )
    return user, raw


def invited_user(s: Session, raw: str | None) -> User:
    """The user a live invitation link is for (the link stays unused)."""
    user = s.get(User, tokens.peek_token(s, raw, tokens.INVITATION))
    if user is None or user.status != "invited":
        raise tokens.TokenInvalid(T("the link has expired or was already used"))
    return user


def accept_invitation(s: Session, raw: str | None, *, password: str) -> User:
    """The invited user chose a password: the user becomes active, the link is used up."""
    check_password_rules(password)
    user = invited_user(s, raw)
    tokens.use_token(s, raw, tokens.INVITATION)
    user.password_hash = hash_password(password)
    user.is_active = True
    user.invited_at = None
    record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="accept_invitation")
    s.flush()
    return user


def _active_owners(s: Session, partner_id: int) -> int:
    return s.scalar(
        select(func.count())
        .select_from(User)
        .where(User.partner_id == partner_id, User.role == OWNER, User.is_active)
    ) or 0


def _keep_an_owner(s: Session, user: User) -> None:
    if user.role == OWNER and user.is_active and _active_owners(s, user.partner_id or 0) <= 1:
        raise LastOwner(T("the company needs at least one active owner: make someone else owner first"))


def change_role(s: Session, *, user_id: int, partner_id: int, target_id: int, role: str) -> User:
    _check_role(role)
    user = get_company_user(s, partner_id, target_id)
    if user.role == role:
        return user
    if role != OWNER:
        _keep_an_owner(s, user)
    record_change(
        s, user_id=user_id, entity_type="user", entity_id=user.id, action="change_role", old=user.role, new=role
    )
    user.role = role
    s.flush()
    return user


def block_user(s: Session, *, user_id: int, partner_id: int, target_id: int) -> User:
    """Close the user's access now: sessions end, pending invitation links stop working."""
    user = get_company_user(s, partner_id, target_id)
    if user.id == user_id:
        raise InvalidUserData(T("you cannot block yourself"))
    if user.status == "blocked":
        return user
    _keep_an_owner(s, user)
    user.is_active = False
    user.invited_at = None
    tokens.revoke_tokens(s, user.id, tokens.INVITATION)
    tokens.revoke_tokens(s, user.id, tokens.PASSWORD_RESET)
    close_user_sessions(s, user.id)
    record_change(s, user_id=user_id, entity_type="user", entity_id=user.id, action="block")
    s.flush()
    return user


def unblock_user(s: Session, *, user_id: int, partner_id: int, target_id: int) -> User:
    """Open the access again (a user who never chose a password uses "forgot password")."""
    user = get_company_user(s, partner_id, target_id)
    if user.status != "blocked":
        return user
    user.is_active = True
    record_change(s, user_id=user_id, entity_type="user", entity_id=user.id, action="unblock")
    s.flush()
    return user


USER_STATUSES = ("active", "invited", "blocked")


def list_dealer_users(
    s: Session,
    *,
    partner_id: int | None = None,
    text: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[User, str]], int]:
    """Every dealer's users with their company's name (the staff's view), filtered, a page of them
    in company and name order, and the total."""
    conditions = [User.partner_id.is_not(None)]
    if partner_id is not None:
        conditions.append(User.partner_id == partner_id)
    if text and text.strip():
        pattern = f"%{text.strip().lower()}%"
        conditions.append(
            func.lower(User.login).like(pattern)
            | func.lower(User.full_name).like(pattern)
            | func.lower(func.coalesce(User.email, "")).like(pattern)
        )
    if status == "active":
        conditions.append(User.is_active)
    elif status == "invited":
        conditions.append(~User.is_active & User.invited_at.is_not(None))
    elif status == "blocked":
        conditions.append(~User.is_active & User.invited_at.is_(None))
    total = s.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    rows = s.execute(
        select(User, Partner.name)
        .join(Partner, Partner.id == User.partner_id)
        .where(*conditions)
        .order_by(Partner.name, User.full_name, User.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(user, name) for user, name in rows], total
