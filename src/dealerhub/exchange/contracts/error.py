"""ERROR v1 (both ways): a message was refused. The envelope's correlation_id is the message answered."""

from __future__ import annotations

from pydantic import Field

from dealerhub.exchange.contracts.common import Contract, MessageId
from dealerhub.exchange.contracts.errors import ErrorCode


class ErrorV1(Contract):
    message_id: MessageId
    code: ErrorCode
    reason: str = Field(min_length=1, max_length=4000)
