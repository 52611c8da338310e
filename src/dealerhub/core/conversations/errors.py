"""What the conversations refuse, each with its HTTP status; nothing of a refused operation is written."""

from __future__ import annotations

from dealerhub.shared.errors import DomainError, NotFound


class ConversationNotFound(NotFound):
    """No such conversation (a dealer asking for another dealer's is told 'not found' too)."""


class InvalidMessage(DomainError):
    """An empty or too long text or subject, an unknown kind, a file that is not the dealer's,
    an order that is not the dealer's."""
