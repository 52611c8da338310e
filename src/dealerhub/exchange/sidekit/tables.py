"""Outbox and inbox tables for any declarative base: the same columns on every side, named with a
prefix ("" for the core, "wms_" for the WMS), so one relay and one apply loop serve them all.

- `<prefix>outbox_messages`: one row per message, written in the same transaction as the fact it
  reports; the relay sets `relayed_at`; the other side's ACK / ERROR sets `answer`...
- `<prefix>outbox_document_seqs`: the last sequence number given per document (the exchange holds
  a document's message n until n-1 is done).
- `<prefix>inbox_messages`: one row per applied (or refused) message id, written in the same
  transaction as the message's effect, so a redelivered message never takes effect twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime

_BigId = BigInteger().with_variant(Integer(), "sqlite")

APPLIED, REJECTED = "applied", "rejected"


@dataclass(frozen=True)
class OutboxTables:
    messages: Table
    document_seqs: Table
    message_class: type
    seq_class: type


@dataclass(frozen=True)
class InboxTable:
    table: Table
    row_class: type


def outbox_tables(base: type[DeclarativeBase], prefix: str = "", class_prefix: str = "") -> OutboxTables:
    """Declare the outbox tables on `base` (call once, from the side's models module)."""
    name = f"{prefix}outbox_messages"
    message_class = type(
        f"{class_prefix}OutboxMessage",
        (base,),
        {
            "__tablename__": name,
            # The relay reads unrelayed rows in id order; the purge finds old relayed ones.
            "__table_args__": (Index(f"ix_{name}_relayed_at_id", "relayed_at", "id"),),
            "id": mapped_column(_BigId, primary_key=True, autoincrement=True),
            "message_id": mapped_column(String(36), unique=True, nullable=False),
            "type": mapped_column(String(32), nullable=False),
            "schema_version": mapped_column(Integer, nullable=False),
            "sender": mapped_column(String(64), nullable=False),
            "receiver": mapped_column(String(64), nullable=False),
            "warehouse_code": mapped_column(String(32)),
            "document_type": mapped_column(String(32)),
            "document_number": mapped_column(String(64)),
            "document_seq": mapped_column(Integer),
            "correlation_id": mapped_column(String(36)),
            # The payload's JSON text exactly as published (its hash is the exchange's idempotency key).
            "payload": mapped_column(Text, nullable=False),
            "created_at": mapped_column(UTCDateTime, default=clock.now, nullable=False),
            "relayed_at": mapped_column(UTCDateTime),
            # The other side's answer: "ack" or "error", when it came, the error's code and reason.
            "answer": mapped_column(String(8)),
            "answered_at": mapped_column(UTCDateTime),
            "error_code": mapped_column(String(32)),
            "error_reason": mapped_column(Text),
        },
    )
    seq_class = type(
        f"{class_prefix}OutboxDocumentSeq",
        (base,),
        {
            "__tablename__": f"{prefix}outbox_document_seqs",
            "document_type": mapped_column(String(32), primary_key=True),
            "document_number": mapped_column(String(64), primary_key=True),
            "last_seq": mapped_column(Integer, default=0, nullable=False),
        },
    )
    return OutboxTables(message_class.__table__, seq_class.__table__, message_class, seq_class)


def inbox_table(base: type[DeclarativeBase], prefix: str = "", class_prefix: str = "") -> InboxTable:
    """Declare the inbox table on `base` (call once, from the side's models module)."""
    row_class = type(
        f"{class_prefix}InboxMessage",
        (base,),
        {
            "__tablename__": f"{prefix}inbox_messages",
            "message_id": mapped_column(String(36), primary_key=True),
            "type": mapped_column(String(32), nullable=False),
            "sender": mapped_column(String(64), nullable=False),
            # applied | rejected (an ERROR was answered; a later retry may still apply it).
            "status": mapped_column(String(16), nullable=False),
            "recorded_at": mapped_column(UTCDateTime, default=clock.now, nullable=False),
            # The side's document the message made or changed, if one.
            "document_type": mapped_column(String(32)),
            "document_number": mapped_column(String(64)),
            "note": mapped_column(Text),
            "error_code": mapped_column(String(32)),
            "error_reason": mapped_column(Text),
        },
    )
    return InboxTable(row_class.__table__, row_class)
