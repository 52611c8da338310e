"""Plain snapshots of rows for templates: a rejected form is rendered after its transaction rolled
back, when ORM objects can no longer be read."""

from __future__ import annotations

from dataclasses import dataclass

from dealerhub.core.accounts.models import User


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    full_name: str
    email: str | None
    phone: str | None
    role: str
    status: str
    totp_enabled: bool


def user_view(user: User) -> UserView:
    return UserView(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        role=user.role,
        status=user.status,
        totp_enabled=user.totp_enabled,
    )
