"""Users (the distributor's staff and dealers' users share the table), and web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared.types import UTCDateTime

STAFF_ROLES = ("administrator", "sales_manager", "purchaser", "storekeeper_supervisor")
# A dealer company's users (partner_id set): the owner manages the company's users and may do
# everything, a buyer orders, an accountant sees documents and finance only.
DEALER_ROLES = ("owner", "buyer", "accountant")


class User(CoreBase, Timestamps):
    __tablename__ = "users"
    id: Mapped[int] = id_column()
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(32))
    # Set for a dealer's user: the partner (dealer company) the user belongs to. None for staff.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="ru")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set while an invited user has not yet accepted (chosen a password); inactive until then.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP second factor (RFC 6238): the base32 secret is kept from enrolment on; it guards
    # logins only once confirmed with a first code (totp_enabled). totp_last_step is the time step
    # of the last accepted code: a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_staff(self) -> bool:
        return self.partner_id is None

    @property
    def status(self) -> str:
        """active | invited (has not accepted yet) | blocked."""
        if self.is_active:
            return "active"
        return "invited" if self.invited_at is not None else "blocked"


class WebSession(CoreBase):
    """A server-side session: the cookie carries a random token, the table keeps only its hash."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AccountToken(CoreBase):
    """A single-use, expiring token sent by e-mail (an invitation, a password reset) or kept in a
    cookie between the password and the second factor of a login. Only its SHA-256 is stored."""

    __tablename__ = "account_tokens"
    id: Mapped[int] = id_column()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))  # see tokens.PURPOSES
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginAttempt(CoreBase):
    """A failed login (wrong password or second factor), kept for the throttling window. In the
    database so that every web worker sees the same counts (the web tier keeps no state)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_login_at", "login", "attempted_at"),
        Index("ix_login_attempts_ip_at", "ip", "attempted_at"),
    )
    id: Mapped[int] = id_column()
    login: Mapped[str] = mapped_column(String(100))
    ip: Mapped[str] = mapped_column(String(45))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
