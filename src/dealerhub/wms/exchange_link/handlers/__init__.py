"""The WMS's handlers of inbound messages, by type (CLASSIFIER, GOODS, COUNTERPARTY, ASN, ORDERS,
ACK, ERROR). Each runs inside the message's savepoint and never commits; a batch handler applies a
run of messages of its type at once, with the effect of the one-message handler on each in turn."""

from dealerhub.wms.exchange_link.handlers.answers import handle_ack, handle_error
from dealerhub.wms.exchange_link.handlers.catalog import handle_classifier, handle_counterparty, handle_goods
from dealerhub.wms.exchange_link.handlers.documents import handle_asn, handle_orders, handle_orders_batch

HANDLERS = {
    "CLASSIFIER": handle_classifier,
    "GOODS": handle_goods,
    "COUNTERPARTY": handle_counterparty,
    "ASN": handle_asn,
    "ORDERS": handle_orders,
    "ACK": handle_ack,
    "ERROR": handle_error,
}

# Runs of consecutive messages of these types are applied at once (see sidekit.inbox).
BATCH_HANDLERS = {"ORDERS": handle_orders_batch}
