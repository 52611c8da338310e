"""The TOTP second factor (RFC 6238, 30-second steps, 6 digits) with pyotp.

Enrolment: a secret is made and shown (QR code / text); it guards logins only after the user
confirms it with a first valid code. A code is accepted within one step of clock drift, and never
twice: the step of the last accepted code is kept, a code of that step or an earlier one is refused.
"""

from __future__ import annotations

import pyotp
import segno
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import User
from dealerhub.core.audit import record_change
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.shared.passwords import verify_password
from dealerhub.shared.texts import T

ISSUER = "dealerhub"
STEP_SECONDS = 30
DRIFT_STEPS = 1


class InvalidSecondFactor(DomainError):
    """A wrong, expired or already used one-time code."""

    http_status = 422


def _step(at: float) -> int:
    return int(at // STEP_SECONDS)


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step the code belongs to (within the allowed drift) if it is new, else None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = clock.now().timestamp()
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = _step(now) + offset
        if (last_step is None or step > last_step) and pyotp.utils.strings_equal(
            totp.at(step * STEP_SECONDS), code
        ):
            return step
    return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (segno, as the invoices' payment QR code)."""
    return segno.make(uri, error="m").svg_inline(scale=8, border=2)


def start_enrolment(s: Session, user: User) -> str:
    """A fresh secret for a user who has no confirmed second factor yet; returns it."""
    if user.totp_enabled:
        raise InvalidSecondFactor(T("the second factor is already on: turn it off first"))
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    s.flush()
    return user.totp_secret


def confirm_enrolment(s: Session, user: User, code: str) -> None:
    """Turn the second factor on with a first valid code for the pending secret."""
    if user.totp_enabled or not user.totp_secret:
        raise InvalidSecondFactor(T("start the set-up of the second factor first"))
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        raise InvalidSecondFactor(T("the code is wrong or has expired"), field="code")
    user.totp_enabled = True
    user.totp_last_step = step
    record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="totp_on")
    s.flush()


def check_code(s: Session, user: User, code: str) -> None:
    """Accept a login's one-time code (and remember its step); InvalidSecondFactor otherwise."""
    if not user.totp_enabled or not user.totp_secret:
        return
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        raise InvalidSecondFactor(T("the code is wrong or has expired"), field="code")
    user.totp_last_step = step
    s.flush()


def disable(s: Session, user: User, *, password: str) -> None:
    """Turn the second factor off; the user's password is asked again."""
    if not verify_password(user.password_hash, password):
        raise InvalidSecondFactor(T("the password is wrong"), field="password")
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    record_change(s, user_id=user.id, entity_type="user", entity_id=user.id, action="totp_off")
    s.flush()
