"""Writing a message into the outbox, in the caller's transaction (use cases never commit).

The core's outbox is sidekit's `Outbox` over the core's outbox tables (the WMS runs the same code
over its own): the payload is a contract model (type and schema version from the registry),
`build_message` checks the envelope and serializes the payload once, and that exact text is stored
and later published: the exchange's idempotency check compares its hash. A message about a document
gets the document's next sequence number from an atomic upsert of its counter row.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.outbox.models import OUTBOX_TABLES
from dealerhub.exchange.contracts import Contract, Message, decimal_text
from dealerhub.exchange.sidekit.outbox import Outbox
from dealerhub.shared.config import get_settings


def _node() -> tuple[str, str]:
    """(sender, receiver), read at each message so tests and deployments can change them."""
    settings = get_settings()
    return settings.exchange_node, settings.exchange_peer


CORE_OUTBOX = Outbox(OUTBOX_TABLES, _node)

# A quantity as the contract's decimal string, to 0.001 ("12.500"); more places are refused (the
# core's quantities have three, so this never rounds).
quantity_text = decimal_text


def next_document_seq(s: Session, document_type: str, document_number: str) -> int:
    """1, 2, 3... per document, in the enqueuing transactions' commit order."""
    return CORE_OUTBOX.next_document_seq(s, document_type, document_number)


def document_seq_used(s: Session, document_type: str, document_number: str) -> int:
    """How many messages about the document were enqueued so far (0: none, the other side never
    heard of it)."""
    return CORE_OUTBOX.document_seq_used(s, document_type, document_number)


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
    return CORE_OUTBOX.enqueue(
        s,
        payload,
        document_type=document_type,
        document_number=document_number,
        warehouse_code=warehouse_code,
        correlation_id=correlation_id,
        message_id=message_id,
    )
