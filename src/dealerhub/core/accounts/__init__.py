"""Accounts: staff and dealers' users, password hashing, web sessions, roles; dealer companies'
users (invitations, roles, blocking), password changes and resets, the TOTP second factor, login
throttling."""

from dealerhub.core.accounts.credentials import (
    change_password,
    request_password_reset,
    reset_password,
    set_profile,
)
from dealerhub.core.accounts.dealers import (
    USER_STATUSES,
    LastOwner,
    UserNotInvited,
    accept_invitation,
    block_user,
    change_role,
    company_users,
    get_company_user,
    invite_user,
    invited_user,
    list_dealer_users,
    reinvite_user,
    unblock_user,
)
from dealerhub.core.accounts.models import DEALER_ROLES, STAFF_ROLES
from dealerhub.core.accounts.roles import DEALER_PERMISSIONS, PERMISSIONS, can
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
    close_user_sessions,
    load_session,
    open_session,
    purge_expired_sessions,
    token_hash,
)
from dealerhub.core.accounts.throttle import (
    LoginThrottled,
    ThrottleLimits,
    check_login_allowed,
    clear_failures,
    purge_login_attempts,
    record_failure,
)
from dealerhub.core.accounts.tokens import TokenInvalid
from dealerhub.core.accounts.totp import InvalidSecondFactor
from dealerhub.shared.passwords import (
    hash_password,
    needs_rehash,
    set_hash_parameters,
    verify_password,
)

__all__ = [
    "DEALER_PERMISSIONS",
    "DEALER_ROLES",
    "PERMISSIONS",
    "STAFF_ROLES",
    "USER_STATUSES",
    "InvalidCredentials",
    "InvalidSecondFactor",
    "InvalidUserData",
    "LastOwner",
    "LoginTaken",
    "LoginThrottled",
    "SessionUser",
    "ThrottleLimits",
    "TokenInvalid",
    "UserNotFound",
    "UserNotInvited",
    "accept_invitation",
    "authenticate",
    "block_user",
    "can",
    "change_password",
    "change_role",
    "check_login_allowed",
    "clear_failures",
    "close_session",
    "close_user_sessions",
    "company_users",
    "create_user",
    "get_company_user",
    "hash_password",
    "invite_user",
    "invited_user",
    "list_dealer_users",
    "load_session",
    "needs_rehash",
    "open_session",
    "purge_expired_sessions",
    "purge_login_attempts",
    "record_failure",
    "reinvite_user",
    "request_password_reset",
    "reset_password",
    "set_hash_parameters",
    "set_profile",
    "set_user_language",
    "token_hash",
    "unblock_user",
    "verify_password",
]
