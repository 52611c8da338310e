"""Storekeepers: create, log in (Argon2id, the same hashing as the core's users, in the WMS's own
table), deactivate."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared import passwords
from dealerhub.shared.texts import T
from dealerhub.wms.errors import LoginFailed, QuantityRefused, StateConflict
from dealerhub.wms.staff.models import ROLES, Storekeeper

MIN_PASSWORD = 8


def create_storekeeper(s: Session, *, login: str, name: str, password: str, role: str = "storekeeper",
                       language: str = "ru") -> Storekeeper:
    login = login.strip().lower()
    if role not in ROLES:
        raise QuantityRefused(T("a role is one of %(roles)s, not %(role)s", roles=", ".join(ROLES), role=repr(role)))
    if not login or len(password) < MIN_PASSWORD:
        raise QuantityRefused(T("a login and a password of at least %(length)s characters are needed", length=MIN_PASSWORD))
    if s.scalar(select(Storekeeper.id).where(Storekeeper.login == login)) is not None:
        raise StateConflict(T("login %(login)s is taken", login=login), login=login)
    user = Storekeeper(login=login, name=name.strip() or login, password_hash=passwords.hash_password(password),
                       role=role, language=language)
    s.add(user)
    s.flush()
    return user


def authenticate(s: Session, *, login: str, password: str) -> Storekeeper:
    """The active storekeeper with this login and password; LoginFailed otherwise (the same answer and
    about the same time whether the login exists or not)."""
    user = s.scalar(select(Storekeeper).where(Storekeeper.login == login.strip().lower()))
    if user is None or not user.active:
        passwords.burn_verification_time(password)
        raise LoginFailed(T("wrong login or password"))
    if not passwords.verify_password(user.password_hash, password):
        raise LoginFailed(T("wrong login or password"))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def set_active(s: Session, storekeeper_id: int, active: bool) -> None:
    user = s.get(Storekeeper, storekeeper_id)
    if user is None:
        raise StateConflict(T("no such storekeeper"), storekeeper=storekeeper_id)
    user.active = active


def active_storekeepers(s: Session) -> list[Storekeeper]:
    """Who tasks can be given to, by name."""
    return list(s.scalars(select(Storekeeper).where(Storekeeper.active.is_(True)).order_by(Storekeeper.name)))
