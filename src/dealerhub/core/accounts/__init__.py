"""Accounts: staff and dealers' users, password hashing, web sessions, roles."""

from dealerhub.core.accounts.models import DEALER_ROLES, STAFF_ROLES
from dealerhub.core.accounts.passwords import (
    hash_password,
    needs_rehash,
    set_hash_parameters,
    verify_password,
)
from dealerhub.core.accounts.roles import PERMISSIONS, can
from dealerhub.core.accounts.service import (
    InvalidCredentials,
    InvalidUserData,
    LoginTaken,
    UserNotFound,
    authenticate,
    create_user,
    set_user_language,
)
from dealerhub.core.accounts.sessions import (
    SessionUser,
    close_session,
    load_session,
    open_session,
    purge_expired_sessions,
    token_hash,
)

__all__ = [
    "DEALER_ROLES",
    "PERMISSIONS",
    "STAFF_ROLES",
    "InvalidCredentials",
    "InvalidUserData",
    "LoginTaken",
    "SessionUser",
    "UserNotFound",
    "authenticate",
    "can",
    "close_session",
    "create_user",
    "hash_password",
    "load_session",
    "needs_rehash",
    "open_session",
    "purge_expired_sessions",
    "set_hash_parameters",
    "set_user_language",
    "token_hash",
    "verify_password",
]
