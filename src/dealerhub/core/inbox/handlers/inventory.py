"""inventory (placeholder until written)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.inbox.errors import Reject
from dealerhub.core.inbox.handlers.common import Done
from dealerhub.core.inbox.message import InboundMessage
from dealerhub.exchange.contracts import ErrorCode


def handle(s: Session, message: InboundMessage) -> Done:
    raise Reject(ErrorCode.UNKNOWN_TYPE, f"the core does not take {message.envelope.type} messages yet")
