"""Starting conversations, posting messages, marking them read. Use cases: they take the caller's
session and never commit; a refused message leaves nothing behind (its files neither: they were
stored in the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import STAFF_ROLES, User
from dealerhub.core.attachments.models import Attachment
from dealerhub.core.audit import record_change
from dealerhub.core.conversations.errors import ConversationNotFound, InvalidMessage
from dealerhub.core.conversations.models import (
    Conversation,
    ConversationMessage,
    ConversationRead,
    MessageAttachment,
)
from dealerhub.core.conversations.rules import check_files, check_kind, clean_body, clean_subject, side_of
from dealerhub.core.partners.models import Partner
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared import clock
from dealerhub.shared.texts import T


def start_conversation(
    s: Session,
    *,
    partner_id: int,
    kind: str,
    subject: str,
    author_user_id: int,
    body: str,
    customer_order_id: int | None = None,
    attachment_ids: Sequence[int] = (),
) -> Conversation:
    """A new conversation of the dealer with its first message (flushed: it has an id)."""
    check_kind(kind, customer_order_id)
    subject = clean_subject(subject)
    text = clean_body(body)
    files = check_files(attachment_ids)
    partner = s.get(Partner, partner_id)
    if partner is None or not partner.is_dealer:
        raise InvalidMessage(T("the partner is not a dealer"), partner_id=partner_id)
    author = _author(s, author_user_id, partner_id)
    if customer_order_id is not None:
        order_partner = s.scalar(
            select(CustomerOrder.partner_id).where(CustomerOrder.id == customer_order_id)
        )
        if order_partner != partner_id:
            raise InvalidMessage(
                T("the order is not one of this dealer's"), order_id=customer_order_id
            )
    now = clock.now()
    conversation = Conversation(
        partner_id=partner_id,
        kind=kind,
        subject=subject,
        customer_order_id=customer_order_id,
        started_by=author.id,
        created_at=now,
        last_message_at=now,
    )
    s.add(conversation)
    s.flush()
    _add_message(s, conversation, author, text, files)
    record_change(
        s,
        user_id=author.id,
        entity_type="conversation",
        entity_id=conversation.id,
        action="start",
        partner_id=partner_id,
        kind=kind,
        customer_order_id=customer_order_id,
    )
    return conversation


def post_message(
    s: Session,
    conversation_id: int,
    *,
    author_user_id: int,
    body: str,
    attachment_ids: Sequence[int] = (),
) -> ConversationMessage:
    """A message in the conversation from a user of its dealer or a member of the staff."""
    text = clean_body(body)
    files = check_files(attachment_ids)
    conversation = s.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(
            T("the conversation was not found"), conversation_id=conversation_id
        )
    author = _author(s, author_user_id, conversation.partner_id, not_found=True)
    return _add_message(s, conversation, author, text, files)


def mark_read(s: Session, conversation_id: int, user_id: int, up_to_message_id: int | None = None) -> None:
    """The user has seen the conversation up to this message (default: its last one). The mark
    only moves forward; two tabs marking at once both succeed."""
    last = up_to_message_id or s.scalar(
        select(func.max(ConversationMessage.id)).where(ConversationMessage.conversation_id == conversation_id)
    )
    if last is None:
        return
    if _move_mark(s, conversation_id, user_id, last):
        return
    try:
        with s.begin_nested():
            s.add(
                ConversationRead(conversation_id=conversation_id, user_id=user_id, last_read_message_id=last)
            )
    except IntegrityError:  # marked meanwhile by another request of the same user
        _move_mark(s, conversation_id, user_id, last)


def _move_mark(s: Session, conversation_id: int, user_id: int, last: int) -> bool:
    """Move an existing mark forward; False when the user has no mark in this conversation yet."""
    key = (ConversationRead.conversation_id == conversation_id, ConversationRead.user_id == user_id)
    moved = s.execute(
        update(ConversationRead)
        .where(*key, ConversationRead.last_read_message_id < last)
        .values(last_read_message_id=last, read_at=clock.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(moved) or s.scalar(select(ConversationRead.user_id).where(*key)) is not None


def _author(s: Session, user_id: int, partner_id: int, *, not_found: bool = False) -> User:
    user = s.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidMessage(T("this user can't write messages"), user_id=user_id)
    if user.partner_id is None:
        if user.role not in STAFF_ROLES:
            raise InvalidMessage(T("this user can't write messages"), user_id=user_id)
    elif user.partner_id != partner_id:
        if not_found:  # a dealer's user never learns that another dealer's conversation exists
            raise ConversationNotFound(T("the conversation was not found"))
        raise InvalidMessage(T("the user is not a user of this dealer"), user_id=user_id)
    return user


def _add_message(
    s: Session, conversation: Conversation, author: User, text: str, files: list[int]
) -> ConversationMessage:
    if files:
        found = s.execute(
            select(Attachment.id, Attachment.partner_id, Attachment.filename, MessageAttachment.message_id)
            .outerjoin(MessageAttachment, MessageAttachment.attachment_id == Attachment.id)
            .where(Attachment.id.in_(files))
        ).all()
        usable = {r.id for r in found if r.partner_id == conversation.partner_id and r.message_id is None}
        refused = [i for i in files if i not in usable]
        if refused:
            # The dealer's own file (already in another message) is named; another's is not.
            own = {r.id: r.filename for r in found if r.partner_id == conversation.partner_id}
            raise InvalidMessage(
                T("%(file)s can't be attached to this message", file=own[refused[0]])
                if refused[0] in own
                else T("the file can't be attached to this message"),
                attachment_id=refused[0],
            )
    now = clock.now()
    message = ConversationMessage(
        conversation_id=conversation.id,
        author_id=author.id,
        side=side_of(author.partner_id),
        body=text,
        created_at=now,
    )
    s.add(message)
    s.flush()
    s.add_all(MessageAttachment(message_id=message.id, attachment_id=i) for i in files)
    conversation.last_message_at = now
    if message.side == "dealer":
        conversation.last_dealer_message_id = message.id
    else:
        conversation.last_staff_message_id = message.id
    s.flush()
    mark_read(s, conversation.id, author.id, message.id)
    return message
