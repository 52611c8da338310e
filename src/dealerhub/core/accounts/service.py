"""Use cases of user accounts: create a user, authenticate, change the interface language."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import DEALER_ROLES, STAFF_ROLES, User
from dealerhub.core.audit import record_change
from dealerhub.shared.errors import Conflict, DomainError, NotFound
from dealerhub.shared.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from dealerhub.shared.texts import T

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
UI_LANGUAGES = ("ru", "en")


class InvalidCredentials(DomainError):
    """Unknown login, wrong password or a disabled user: deliberately not told apart."""

    http_status = 401


class LoginTaken(Conflict):
    pass


class InvalidUserData(DomainError):
    """A login, password, role or language that can't be accepted (details name the field)."""


class UserNotFound(NotFound):
    pass


def normalize_login(login: str) -> str:
    return login.strip().lower()


def create_user(
    s: Session,
    *,
    user_id: int | None,
    login: str,
    password: str,
    full_name: str,
    role: str,
    email: str | None = None,
    language: str = "ru",
    partner_id: int | None = None,
) -> User:
    login = normalize_login(login)
    _check_new_user(s, login=login, password=password, role=role, language=language, partner_id=partner_id)
    user = User(
        login=login,
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        role=role,
        email=email,
        language=language,
        partner_id=partner_id,
        is_active=True,
    )
    s.add(user)
    s.flush()
    record_change(
        s, user_id=user_id, entity_type="user", entity_id=user.id, action="create", role=role, login=login
    )
    return user


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserData(T("a password has at least %(count)s characters", count=MIN_PASSWORD_LENGTH), field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidUserData(T("a password has at most %(count)s characters", count=MAX_PASSWORD_LENGTH), field=field)


def _check_new_user(
    s: Session, *, login: str, password: str, role: str, language: str, partner_id: int | None
) -> None:
    if not login:
        raise InvalidUserData(T("a login is required"), field="login")
    check_password_rules(password)
    if partner_id is None and role not in STAFF_ROLES:
        raise InvalidUserData(T("unknown staff role '%(role)s'", role=role), field="role")
    if partner_id is not None and role not in DEALER_ROLES:
        raise InvalidUserData(T("unknown dealer role '%(role)s'", role=role), field="role")
    if language not in UI_LANGUAGES:
        raise InvalidUserData(T("unknown interface language '%(language)s'", language=language), field="language")
    if s.scalar(select(func.count()).select_from(User).where(User.login == login)):
        raise LoginTaken(T("login '%(login)s' is taken", login=login), field="login")


def authenticate(s: Session, *, login: str, password: str) -> User:
    """The active user with this login and password; raises InvalidCredentials otherwise.

    A hash made with outdated parameters is replaced by a fresh one (inside the caller's transaction).
    """
    user = s.scalar(select(User).where(User.login == normalize_login(login)))
    if user is None:
        burn_verification_time(password)
        raise InvalidCredentials(T("wrong login or password"))
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials(T("wrong login or password"))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        s.flush()
    return user


def set_user_language(s: Session, target_user_id: int, *, user_id: int | None, language: str) -> None:
    if language not in UI_LANGUAGES:
        raise InvalidUserData(T("unknown interface language '%(language)s'", language=language), field="language")
    user = s.get(User, target_user_id)
    if user is None:
        raise UserNotFound(T("the user was not found"), user_id=target_user_id)
    if user.language != language:
        record_change(
            s,
            user_id=user_id,
            entity_type="user",
            entity_id=user.id,
            action="set_language",
            old=user.language,
            new=language,
        )
        user.language = language
        s.flush()
