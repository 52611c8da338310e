"""Writing a message into the outbox, in the caller's transaction (use cases never commit).

The payload is a contract model of the exchange (its type and schema version come from the
registry); `build_message` checks the envelope and serializes the payload once, and that exact text
is stored and later published: the exchange's idempotency check compares its hash.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.outbox.models import OutboxDocumentSeq, OutboxMessage
from dealerhub.exchange.contracts import Contract, Message, build_message
from dealerhub.shared import clock
from dealerhub.shared.config import get_settings

_seq = OutboxDocumentSeq.__table__
_messages = OutboxMessage.__table__


def _next_seq(insert_fn):
    stmt = insert_fn(_seq).values(
        document_type=bindparam("document_type"), document_number=bindparam("document_number"), last_seq=1
    )
    return stmt.on_conflict_do_update(
        index_elements=["document_type", "document_number"], set_={"last_seq": _seq.c.last_seq + 1}
    ).returning(_seq.c.last_seq)


# Built once per dialect (as numbering does): every message of a document runs it.
_NEXT_SEQ = {"postgresql": _next_seq(postgresql.insert), "sqlite": _next_seq(sqlite.insert)}
_INSERT = insert(_messages)


def next_document_seq(s: Session, document_type: str, document_number: str) -> int:
    """1, 2, 3... per document. The upsert locks the counter row until the transaction ends, so two
    transactions enqueuing for one document get consecutive numbers in their commit order."""
    conn = s.connection()
    stmt = _NEXT_SEQ.get(conn.dialect.name, _NEXT_SEQ["sqlite"])
    params = {"document_type": document_type, "document_number": document_number}
    return conn.execute(stmt, params).scalar_one()


def document_seq_used(s: Session, document_type: str, document_number: str) -> int:
    """How many messages about the document were enqueued so far (0: none, the other side never
    heard of it)."""
    return s.scalar(
        select(_seq.c.last_seq).where(
            _seq.c.document_type == document_type, _seq.c.document_number == document_number
        )
    ) or 0


def quantity_text(value: Decimal) -> str:
    """A quantity as the contract's decimal string, to 0.001 ("12.500"); more places are refused
    (the core's quantities have three, so this never rounds)."""
    exact = Decimal(value)
    text = exact.quantize(Decimal("0.001"))
    if text != exact:
        raise ValueError(f"{value} has more than 3 decimal places")
    return f"{text:f}"


def enqueue(
    s: Session,
    payload: Contract,
    *,
    document_type: str | None = None,
    document_number: str | None = None,
    warehouse_code: str | None = None,
    correlation_id: str | None = None,
    message_id: str | None = None,
) -> Message:
    """Put a message into the outbox (same transaction as the change it reports). A message about
    a document gets the document's next sequence number; one without a document gets none and is
    never held back by ordering. Returns the message (its id is `message.message_id`)."""
    if (document_type is None) != (document_number is None):
        raise ValueError("document_type and document_number go together")
    settings = get_settings()
    seq = next_document_seq(s, document_type, document_number) if document_type and document_number else None
    message = build_message(
        payload,
        sender=settings.exchange_node,
        receiver=settings.exchange_peer,
        warehouse_code=warehouse_code,
        document_type=document_type,
        document_number=document_number,
        document_seq=seq,
        correlation_id=correlation_id,
        message_id=message_id,
    )
    envelope = message.envelope
    s.connection().execute(
        _INSERT,
        {
            **envelope.model_dump(),
            "payload": message.payload,
            "created_at": clock.now(),
        },
    )
    return message
