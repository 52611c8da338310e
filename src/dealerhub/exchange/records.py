"""What the store hands out: plain, immutable rows (never ORM objects bound to a session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dealerhub.exchange.contracts import Envelope


@dataclass(frozen=True, slots=True)
class StoredEnvelope:
    """What every row of the exchange's message tables has: its row id, the envelope, the payload
    and the status."""

    id: int
    message_id: str
    type: str
    schema_version: int
    sender: str
    receiver: str
    warehouse_code: str | None
    document_type: str | None
    document_number: str | None
    document_seq: int | None
    correlation_id: str | None
    payload: str
    payload_sha256: str
    status: str


@dataclass(frozen=True, slots=True)
class MessageRecord(StoredEnvelope):
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    taken_at: datetime | None
    taken_by: str | None
    lease_until: datetime | None
    processed_at: datetime | None
    last_error: str | None
    archived: bool = False

    @classmethod
    def from_row(cls, row: Any, *, archived: bool = False) -> MessageRecord:
        return cls(**dict(row._mapping), archived=archived)

    def envelope(self) -> Envelope:
        """The envelope as the contract defines it; raises pydantic.ValidationError for a row an
        outside party wrote with a bad envelope (the worker turns that into schema_violation)."""
        return Envelope(
            message_id=self.message_id,
            type=self.type,
            schema_version=self.schema_version,
            sender=self.sender,
            receiver=self.receiver,
            warehouse_code=self.warehouse_code,
            document_type=self.document_type,
            document_number=self.document_number,
            document_seq=self.document_seq,
            correlation_id=self.correlation_id,
        )


@dataclass(frozen=True, slots=True)
class RefusedRecord(StoredEnvelope):
    """A message refused on arrival (exchange_refused_messages): never stored, never delivered."""

    created_at: datetime
    processed_at: datetime
    last_error: str
    # The id (exchange_messages.id or the archive's) of the stored message this one collides with.
    conflicts_with: int | None

    @classmethod
    def from_row(cls, row: Any) -> RefusedRecord:
        return cls(**dict(row._mapping))
