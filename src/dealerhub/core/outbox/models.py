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

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase
from dealerhub.exchange.sidekit.tables import outbox_tables
from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime

# The same tables (names, columns, index) as the WMS's, from sidekit's factory: one relay, one
# enqueue for both sides (core_0002 made them; `dealerhub db check` compares).
OUTBOX_TABLES = outbox_tables(CoreBase)
OutboxMessage = OUTBOX_TABLES.message_class
OutboxDocumentSeq = OUTBOX_TABLES.seq_class


class OutboxSentCounterparty(CoreBase):
    """A contractor the WMS knows: sent (upfront or lazily) by the message `message_id`."""

    __tablename__ = "outbox_sent_counterparties"
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), primary_key=True, autoincrement=False)
    message_id: Mapped[str] = mapped_column(String(36))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
