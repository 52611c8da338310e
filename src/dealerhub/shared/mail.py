"""Sending e-mail through an SMTP server (the standard library's smtplib).

Settings: DEALERHUB_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS (or _SSL for TLS from
the start), _TIMEOUT_SECONDS. A mail that cannot be handed to the server raises MailNotSent, so the
caller's transaction rolls back and nothing refers to a mail that never left.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from dealerhub.shared.config import Settings
from dealerhub.shared.errors import DomainError

log = logging.getLogger("dealerhub.mail")


class MailNotSent(DomainError):
    """The SMTP server could not be reached or refused the mail."""

    http_status = 503


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
            use_ssl=settings.smtp_ssl,
            timeout=settings.smtp_timeout_seconds,
        )

    def message(self, to: str, subject: str, text: str) -> EmailMessage:
        """A plain-text UTF-8 mail from the configured sender."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1].strip("> ") or None)
        message.set_content(text)
        return message

    def send(self, message: EmailMessage) -> None:
        """Hand the mail to the SMTP server; MailNotSent when that fails (the reason is logged)."""
        try:
            if self.use_ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.starttls and not self.use_ssl:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("mail to %s not sent via %s:%s: %s", message["To"], self.host, self.port, exc)
            raise MailNotSent("the mail could not be sent now; nothing was changed, try again later") from exc
        log.info("mail %r sent to %s", message["Subject"], message["To"])

    def send_text(self, to: str, subject: str, text: str) -> None:
        self.send(self.message(to, subject, text))
