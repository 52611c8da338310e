"""Writing a message into the outbox, in the caller's transaction (use cases never commit).

The core's outbox is sidekit's `Outbox` over the core's outbox tables (the WMS runs the same code
over its own): the payload is a contract model (type and schema version from the registry),
`build_message` checks the envelope and serializes the payload once, and that exact text is stored
and later published: the exchange's idempotency check compares its hash. A message about a document
gets the document's next sequence number from an atomic upsert of its counter row.
"""

from __future__ import annotations

from dealerhub.core.outbox.models import OUTBOX_TABLES
from dealerhub.exchange.contracts import decimal_text
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


# The names the business areas call: enqueue(s, payload, *, document_type, document_number,
# warehouse_code, correlation_id, message_id) -> Message; next_document_seq / document_seq_used(s,
# document_type, document_number) -> int.
next_document_seq = CORE_OUTBOX.next_document_seq
document_seq_used = CORE_OUTBOX.document_seq_used
enqueue = CORE_OUTBOX.enqueue
