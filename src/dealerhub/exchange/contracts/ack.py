"""ACK v1 (both ways): a message was applied. The envelope's correlation_id is the message answered."""

from __future__ import annotations

from typing import Literal

from dealerhub.exchange.contracts.common import Contract, MessageId, Text


class AckV1(Contract):
    message_id: MessageId
    # already_applied: the message had been applied before (a redelivery); nothing happened twice.
    result: Literal["applied", "already_applied"]
    note: Text | None = None
