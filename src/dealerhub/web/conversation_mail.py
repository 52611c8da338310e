"""Mails about a new message in a conversation, written in each recipient's language.

Sent after the message's transaction committed (a Starlette background task of the response), so
a mail never announces a message that was rolled back; an SMTP failure is logged and loses nothing
(the message is in the database, the unread counters show it). Links point at the configured
public_url: the cabinet's page for dealers, the back office's for staff.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.message import EmailMessage

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from dealerhub.core.accounts.models import User
from dealerhub.core.conversations import Conversation, ConversationMessage, recipients_of
from dealerhub.core.partners.models import Partner
from dealerhub.shared.mail import Mailer, MailNotSent

log = logging.getLogger("dealerhub.conversations")

PAGES = {"dealer": "/cabinet/conversations/", "staff": "/backoffice/conversations/"}
EXCERPT = 1000


def notification_mails(request: Request, s: Session, message_id: int) -> list[EmailMessage]:
    """The mails announcing this message (read inside the transaction that wrote it)."""
    message = s.get(ConversationMessage, message_id)
    if message is None:
        return []
    conversation = s.get(Conversation, message.conversation_id)
    author = s.get(User, message.author_id)
    company = s.get(Partner, conversation.partner_id) if conversation else None
    if conversation is None or author is None or company is None:
        return []
    settings = request.app.state.settings
    mailer = Mailer.from_settings(settings)
    translations = request.app.state.i18n
    body = message.body if len(message.body) <= EXCERPT else message.body[:EXCERPT] + "…"
    mails = []
    for recipient in recipients_of(s, message_id):
        gettext = translations.get(translations.pick(recipient.language)).gettext
        link = settings.public_url.rstrip("/") + PAGES[recipient.side] + str(conversation.id)
        text = gettext(
            "Hello, %(name)s!\n\n"
            '%(author)s (%(company)s) wrote in the conversation "%(subject)s":\n\n'
            "%(body)s\n\n"
            "Read and answer: %(link)s"
        ) % {
            "name": recipient.full_name,
            "author": author.full_name,
            "company": company.name if message.side == "dealer" else gettext("the distributor"),
            "subject": conversation.subject,
            "body": body,
            "link": link,
        }
        subject = gettext("New message: %(subject)s") % {"subject": conversation.subject}
        mails.append(mailer.message(recipient.email, subject, text))
    return mails


def news_mails(request: Request, s: Session, conversation_id: int, after_message_id: int | None) -> list[EmailMessage]:
    """The mails announcing the messages this transaction wrote into a conversation: those after
    `after_message_id` (read before the change; None: all). A claim's decision writes its note so."""
    ids = s.scalars(
        select(ConversationMessage.id)
        .where(ConversationMessage.conversation_id == conversation_id, ConversationMessage.id > (after_message_id or 0))
        .order_by(ConversationMessage.id)
    ).all()
    return [mail for message_id in ids for mail in notification_mails(request, s, message_id)]


def send_mails(mailer: Mailer, mails: Sequence[EmailMessage]) -> int:
    """Hand the mails to the SMTP server one by one; a failure is logged, the others still go.
    Returns how many were sent."""
    sent = 0
    for mail in mails:
        try:
            mailer.send(mail)
            sent += 1
        except MailNotSent:
            log.warning(
                "notification of a new message to %s not sent; the message itself is kept", mail["To"]
            )
    return sent


def after_commit(request: Request, mails: Sequence[EmailMessage]) -> BackgroundTask | None:
    """The background task of a response that sends `mails` once the response went out (the
    request's transaction has committed by then: WriteSession commits before the answer)."""
    if not mails:
        return None
    return BackgroundTask(send_mails, Mailer.from_settings(request.app.state.settings), list(mails))
