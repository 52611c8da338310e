"""The WMS's inbox: sidekit's apply loop over wms_inbox_messages with the WMS's handlers. The WMS's
own refusals (DomainErrors) become ERROR answers with a stable code."""

from __future__ import annotations

from dealerhub.exchange.contracts import ErrorCode
from dealerhub.exchange.sidekit import Inbox, NotYet, Reject
from dealerhub.shared.errors import DomainError
from dealerhub.wms.errors import NotEnoughStock, QuantityRefused, StateConflict, WmsNotFound
from dealerhub.wms.exchange_link.handlers import BATCH_HANDLERS, HANDLERS
from dealerhub.wms.exchange_link.models import INBOX
from dealerhub.wms.exchange_link.outbox import WMS_OUTBOX


def classify(error: Exception) -> Reject | NotYet | None:
    if isinstance(error, WmsNotFound):
        return Reject(ErrorCode.UNKNOWN_DOCUMENT, error.message)
    if isinstance(error, StateConflict | QuantityRefused | NotEnoughStock):
        return Reject(ErrorCode.QUANTITY_MISMATCH, error.message)
    if isinstance(error, DomainError):
        return Reject(ErrorCode.SCHEMA_VIOLATION, error.message)
    return None


WMS_INBOX = Inbox(INBOX, WMS_OUTBOX, HANDLERS, classify=classify, node_name="the WMS",
                  batch_handlers=BATCH_HANDLERS)
