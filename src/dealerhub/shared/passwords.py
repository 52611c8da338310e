"""Password hashing with Argon2id (argon2-cffi): pure functions, no I/O. Shared by every system
that keeps its own users (the core's staff and dealers, the WMS's storekeepers), each in its own table.

The parameters are argon2-cffi's defaults (RFC 9106, low-memory profile). A stored hash made with
other parameters still verifies; `needs_rehash` tells the caller to store a fresh hash then.
"""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher(type=Type.ID)
# Verified against when the login is unknown, so that a wrong login costs as much time as a wrong
# password and response times don't tell which logins exist (made on first use).
_dummy_hash: str | None = None


def set_hash_parameters(parameters: Parameters | None) -> None:
    """Hash with other Argon2id parameters from now on (None: the defaults again). Existing hashes
    keep verifying and are rehashed at their next login. Tests use argon2's cheapest profile."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher.from_parameters(parameters) if parameters else PasswordHasher(type=Type.ID)
    _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; False for a mismatch or a hash that is not Argon2 at all."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters (or another Argon2 variant) than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verification_time(password: str) -> None:
    """Spend what a real verification costs (used when there is no user to verify against)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("dealerhub: no such user")
    verify_password(_dummy_hash, password)
