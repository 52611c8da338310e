"""The account mails (invitation, password reset), written in the recipient's language and sent
through shared.mail. Links point at the configured public_url, never at the request's Host."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from babel.dates import format_datetime
from fastapi import Request
from sqlalchemy.orm import Session

from dealerhub.core.accounts import invite_user, reinvite_user
from dealerhub.core.accounts.models import User
from dealerhub.shared import clock
from dealerhub.shared.mail import Mailer

INVITATION_PATH = "/cabinet/login/invitation/"
RESET_PATH = "/cabinet/login/reset/"


def _link(request: Request, path: str, token: str) -> str:
    return request.app.state.settings.public_url.rstrip("/") + path + token


def _texts(request: Request, user: User) -> tuple[Callable[[str], str], str]:
    """The recipient's language and its gettext (not the requester's: an owner invites in theirs)."""
    translations = request.app.state.i18n
    lang = translations.pick(user.language)
    return translations.get(lang).gettext, lang


def _moment(value: datetime, lang: str) -> str:
    return format_datetime(value, format="short", locale=lang, tzinfo=None) + " UTC"


def send_invitation(
    request: Request, user: User, *, company: str, inviter: str, token: str, expires_at: datetime
) -> None:
    gettext, lang = _texts(request, user)
    text = gettext(
        "Hello, %(name)s!\n\n"
        "%(inviter)s invites you to the dealer cabinet of %(company)s.\n"
        "Choose your password by this link (valid until %(until)s):\n\n%(link)s\n\n"
        "Your login is %(login)s.\n"
        "If you did not expect this mail, ignore it."
    ) % {
        "name": user.full_name,
        "inviter": inviter,
        "company": company,
        "until": _moment(expires_at, lang),
        "link": _link(request, INVITATION_PATH, token),
        "login": user.login,
    }
    subject = gettext("Invitation to the dealer cabinet of %(company)s") % {"company": company}
    _send(request, user, subject, text)


def invite_by_mail(
    request: Request, s: Session, *, inviter_id: int, inviter_name: str, partner_id: int, company: str,
    email: str, full_name: str, role: str, language: str,
) -> User:
    """A new user of the dealer's company and the mail with their invitation link (both faces)."""
    lifetime = _invitation_lifetime(request)
    invited, token = invite_user(
        s, user_id=inviter_id, partner_id=partner_id, email=email, full_name=full_name,
        role=role, language=language, lifetime=lifetime,
    )
    send_invitation(request, invited, company=company, inviter=inviter_name, token=token,
                    expires_at=clock.now() + lifetime)
    return invited


def reinvite_by_mail(
    request: Request, s: Session, *, inviter_id: int, inviter_name: str, partner_id: int, company: str,
    target_id: int,
) -> User:
    """A new invitation link for a user who has not accepted yet, mailed to them."""
    lifetime = _invitation_lifetime(request)
    invited, token = reinvite_user(
        s, user_id=inviter_id, partner_id=partner_id, target_id=target_id, lifetime=lifetime
    )
    send_invitation(request, invited, company=company, inviter=inviter_name, token=token,
                    expires_at=clock.now() + lifetime)
    return invited


def _invitation_lifetime(request: Request) -> timedelta:
    return timedelta(hours=request.app.state.settings.invitation_lifetime_hours)


def send_password_reset(request: Request, user: User, *, token: str, expires_at: datetime) -> None:
    gettext, lang = _texts(request, user)
    text = gettext(
        "Hello, %(name)s!\n\n"
        "Someone asked to reset the password of your login %(login)s.\n"
        "Choose a new password by this link (valid until %(until)s, once):\n\n%(link)s\n\n"
        "If it was not you, ignore this mail: your password stays as it is."
    ) % {
        "name": user.full_name,
        "login": user.login,
        "until": _moment(expires_at, lang),
        "link": _link(request, RESET_PATH, token),
    }
    _send(request, user, gettext("Resetting your dealerhub password"), text)


def _send(request: Request, user: User, subject: str, text: str) -> None:
    if not user.email:
        raise ValueError(f"user {user.id} has no e-mail")
    Mailer.from_settings(request.app.state.settings).send_text(user.email, subject, text)
