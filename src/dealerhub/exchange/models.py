"""The exchange database's tables: messages, per-document progress, and the archive of done messages.

The layout is a published contract (docs/exchange.md): an outside party reads and writes these
tables with plain SQL, so columns are simple types and every time is UTC.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint, text
from sqlalchemy.dialects import mysql

from dealerhub.exchange.db import ExchangeBase
from dealerhub.shared.types import BigId, UTCDateTime


class Status(StrEnum):
    NEW = "new"  # written by the sender; claimable from next_attempt_at
    TAKEN = "taken"  # a receiver's worker holds it until lease_until
    DONE = "done"  # applied by the receiver
    ERROR = "error"  # refused as bad input: permanent until someone retries it
    DEAD = "dead"  # transient failures exhausted the attempts: waits for a retry


class ExchangeTime(UTCDateTime):
    """UTC with microseconds on MariaDB too (its plain DATETIME keeps whole seconds)."""

    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return super().load_dialect_impl(dialect)


# Payloads may be large (a full GOODS message): TEXT is 64 KB on MariaDB, LONGTEXT is not limited.
PayloadText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
NOW = text("CURRENT_TIMESTAMP")


REFUSED_ENVELOPE = (
    "message_id",
    "type",
    "schema_version",
    "sender",
    "receiver",
    "warehouse_code",
    "document_type",
    "document_number",
    "document_seq",
    "correlation_id",
    "payload",
    "payload_sha256",
)


def _message_columns(*, archive: bool) -> list[Column]:
    return [
        # Arrival order. The archive keeps the id the message had.
        Column("id", BigId, primary_key=True, autoincrement=not archive),
        Column("message_id", String(36), nullable=False),
        Column("type", String(32), nullable=False),
        Column("schema_version", Integer, nullable=False),
        Column("sender", String(64), nullable=False),
        Column("receiver", String(64), nullable=False),
        Column("warehouse_code", String(32)),
        Column("document_type", String(32)),
        Column("document_number", String(64)),
        Column("document_seq", Integer),
        Column("correlation_id", String(36)),
        Column("payload", PayloadText, nullable=False),
        Column("payload_sha256", String(64), nullable=False),
        Column("status", String(16), nullable=False, server_default=Status.NEW.value),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("next_attempt_at", ExchangeTime(), nullable=False, server_default=NOW),
        Column("created_at", ExchangeTime(), nullable=False, server_default=NOW),
        Column("taken_at", ExchangeTime()),
        Column("taken_by", String(64)),
        Column("lease_until", ExchangeTime()),
        Column("processed_at", ExchangeTime()),
        Column("last_error", Text),
    ]


messages = Table(
    "exchange_messages",
    ExchangeBase.metadata,
    *_message_columns(archive=False),
    UniqueConstraint("message_id"),
    # One message per place in a document's sequence: ordering can then never take two at once.
    UniqueConstraint(
        "sender",
        "document_type",
        "document_number",
        "document_seq",
        name="uq_exchange_messages_document",
    ),
    # Claiming: a receiver's claimable messages in arrival order.
    Index("ix_exchange_messages_claim", "receiver", "status", "next_attempt_at", "id"),
    Index("ix_exchange_messages_correlation_id", "correlation_id"),
    # The archive job: done messages by age.
    Index("ix_exchange_messages_status_processed", "status", "processed_at"),
)

document_progress = Table(
    "exchange_document_progress",
    ExchangeBase.metadata,
    Column("sender", String(64), primary_key=True),
    Column("document_type", String(32), primary_key=True),
    Column("document_number", String(64), primary_key=True),
    # The highest document_seq done; the message with last_done_seq + 1 is the next claimable one.
    Column("last_done_seq", Integer, nullable=False),
)

archive = Table(
    "exchange_messages_archive",
    ExchangeBase.metadata,
    *_message_columns(archive=True),
    UniqueConstraint("message_id"),
    Index("ix_exchange_messages_archive_processed_at", "processed_at"),
)

# Messages refused on arrival, before they could be stored in exchange_messages: their id is
# taken there (or in the archive) by a different payload (duplicate_conflict), or their place in
# the document is taken by another message (out_of_order). Status is always `error`; nothing of
# them reaches the receiver. The same refused message published again is recorded once.
refused = Table(
    "exchange_refused_messages",
    ExchangeBase.metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    *(c for c in _message_columns(archive=False) if c.name in REFUSED_ENVELOPE),
    Column("status", String(16), nullable=False, server_default=Status.ERROR.value),
    Column("created_at", ExchangeTime(), nullable=False, server_default=NOW),
    Column("processed_at", ExchangeTime(), nullable=False, server_default=NOW),
    Column("last_error", Text, nullable=False),
    # The id (exchange_messages.id, or the archive's) of the stored message this one collides with.
    Column("conflicts_with", BigId),
    UniqueConstraint("message_id", "payload_sha256", name="uq_exchange_refused_messages_message"),
    Index("ix_exchange_refused_messages_created_at", "created_at"),
)

ARCHIVE_COLUMNS = [c.name for c in messages.columns]
