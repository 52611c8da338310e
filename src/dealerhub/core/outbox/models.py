"""The core's outbox: messages to the exchange, written in the same transaction as the change that
makes them, and handed over to the exchange database by the relay (relay.py).

- `outbox_messages`: one row per message, append-mostly: the relay sets `relayed_at`, an answer
  from the other side (ACK or ERROR) sets `answered_at` and the error; relayed rows are purged
  after the retention period. The envelope columns are those of the exchange's message table.
- `outbox_document_seqs`: the last sequence number given per document (the exchange holds a
  document's message n until n-1 is done); incremented by an atomic upsert, so the counter row
  stays locked until the enqueuing transaction ends and numbers never repeat or go out of order.
- `outbox_sent_counterparties`: contractors the WMS has been told about (lazy COUNTERPARTY).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime


class OutboxMessage(CoreBase):
    __tablename__ = "outbox_messages"
    # The relay reads unrelayed rows in id order; purge finds old relayed ones.
    __table_args__ = (Index("ix_outbox_messages_relayed_at_id", "relayed_at", "id"),)
    id: Mapped[int] = id_column()
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    schema_version: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(64))
    receiver: Mapped[str] = mapped_column(String(64))
    warehouse_code: Mapped[str | None] = mapped_column(String(32))
    document_type: Mapped[str | None] = mapped_column(String(32))
    document_number: Mapped[str | None] = mapped_column(String(64))
    document_seq: Mapped[int | None] = mapped_column(Integer)
    correlation_id: Mapped[str | None] = mapped_column(String(36))
    # The payload's JSON text exactly as published (its hash is the exchange's idempotency check).
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    relayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The other side's answer: "ack" or "error", when it came, and the error's code and reason.
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str | None] = mapped_column(String(32))
    error_reason: Mapped[str | None] = mapped_column(Text)


class OutboxDocumentSeq(CoreBase):
    __tablename__ = "outbox_document_seqs"
    document_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class OutboxSentCounterparty(CoreBase):
    """A contractor the WMS knows: sent (upfront or lazily) by the message `message_id`."""

    __tablename__ = "outbox_sent_counterparties"
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), primary_key=True, autoincrement=False)
    message_id: Mapped[str] = mapped_column(String(36))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
