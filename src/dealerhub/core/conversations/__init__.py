"""Conversations of dealers with the distributor's staff (their personal manager): general, about
an order, about a claim; messages with files, unread counts per user, whom to notify."""

from dealerhub.core.conversations.cards import (
    ManagerCard,
    dealer_header_query,
    dealer_header_statement,
    manager_card_of,
)
from dealerhub.core.conversations.errors import ConversationNotFound, InvalidMessage
from dealerhub.core.conversations.models import (
    KINDS,
    Conversation,
    ConversationMessage,
    ConversationRead,
    MessageAttachment,
)
from dealerhub.core.conversations.queries import (
    ConversationRow,
    ConversationView,
    FileView,
    MessageView,
    Recipient,
    Viewer,
    conversation_file,
    conversation_rows,
    get_conversation,
    last_message_id,
    recipients_of,
    thread,
    unread_count,
)
from dealerhub.core.conversations.service import mark_read, post_message, start_conversation

__all__ = [
    "KINDS",
    "Conversation",
    "ConversationMessage",
    "ConversationNotFound",
    "ConversationRead",
    "ConversationRow",
    "ConversationView",
    "FileView",
    "InvalidMessage",
    "ManagerCard",
    "MessageAttachment",
    "MessageView",
    "Recipient",
    "Viewer",
    "conversation_file",
    "conversation_rows",
    "dealer_header_query",
    "dealer_header_statement",
    "get_conversation",
    "last_message_id",
    "manager_card_of",
    "mark_read",
    "post_message",
    "recipients_of",
    "start_conversation",
    "thread",
    "unread_count",
]
