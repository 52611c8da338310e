"""Conversations between a dealer and the distributor's staff (the dealer's personal manager).

A conversation belongs to one dealer (partner) and is general, about one of the dealer's customer
orders, or about a claim (the claim points at its conversation). Its messages carry their author
and side ("dealer" or "staff") and any number of attachments (core/attachments, kept with the
dealer's partner_id so that only that dealer and staff can download them).

Unread is per user: `ConversationRead` keeps the last message a user has seen in a conversation;
unread messages are those of the other side after it. Whom a conversation is handled by is not
stored: it is the personal manager named by the dealer's agreement in force, so a new manager
takes over the dealer's conversations with the dealer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.shared import clock
from dealerhub.shared.types import BigId, UTCDateTime

KINDS = ("general", "order", "claim")
SIDES = ("dealer", "staff")


class Conversation(CoreBase):
    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint("kind IN ('general', 'order', 'claim')", name="kind_known"),
        CheckConstraint("kind <> 'order' OR customer_order_id IS NOT NULL", name="order_named"),
        Index("ix_conversations_partner_last", "partner_id", "last_message_at"),
    )
    id: Mapped[int] = id_column()
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    customer_order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    started_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The last message of each side: whether a user has news here is one comparison with their read
    # mark, so the unread counts read the messages of unread conversations only.
    last_dealer_message_id: Mapped[int | None] = mapped_column(BigId)
    last_staff_message_id: Mapped[int | None] = mapped_column(BigId)


class ConversationMessage(CoreBase):
    __tablename__ = "conversation_messages"
    __table_args__ = (
        CheckConstraint("side IN ('dealer', 'staff')", name="side_known"),
        Index("ix_conversation_messages_conversation_id", "conversation_id", "id"),
    )
    id: Mapped[int] = id_column()
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class MessageAttachment(CoreBase):
    """A file of a message; a file belongs to one message only."""

    __tablename__ = "conversation_message_attachments"
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("conversation_messages.id"), index=True)


class ConversationRead(CoreBase):
    """How far a user has read a conversation: the id of the last message they have seen."""

    __tablename__ = "conversation_reads"
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    last_read_message_id: Mapped[int] = mapped_column(BigId)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
