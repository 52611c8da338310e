"""The core's outbox: messages to the exchange are written here in the same transaction as the
change that makes them, and the relay hands them over to the exchange database.

Message builders live in the business areas that own the documents (`sales.wms_messages` builds
ORDERS and the ASN of a customer return, `purchasing.wms_messages` the ASN of a supplier order,
`catalog.wms_messages` CLASSIFIER and GOODS, `partners.wms_messages` COUNTERPARTY); they call
`enqueue`. The relay (`dealerhub.core.outbox.relay`) is imported by whoever runs it, not from
here: the business areas that enqueue never load the exchange's tables. See
docs/mechanisms/exchange.md.
"""

from dealerhub.core.outbox.answers import purge_relayed, record_answer
from dealerhub.core.outbox.enqueue import document_seq_used, enqueue, next_document_seq, quantity_text

__all__ = [
    "document_seq_used",
    "enqueue",
    "next_document_seq",
    "purge_relayed",
    "quantity_text",
    "record_answer",
]
