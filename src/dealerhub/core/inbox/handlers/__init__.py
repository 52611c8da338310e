"""One handler per inbound message type: (session, InboundMessage) -> Done. A handler raises
Reject (bad input), NotYet (something unknown yet) or a business area's DomainError (mapped by
codes.classify); it never commits."""

from __future__ import annotations

from dealerhub.core.inbox.handlers import answers, despatch, inventory, movement, packaging, receipt, remains
from dealerhub.exchange.sidekit.inbox import BatchHandler, Done, Handler

HANDLERS: dict[str, Handler] = {
    "DESPATCH": despatch.handle,
    "RECEIPT": receipt.handle,
    "INVENTORY": inventory.handle,
    "MOVEMENT": movement.handle,
    "PACKAGING": packaging.handle,
    "REMAINS": remains.handle,
    "ACK": answers.handle_ack,
    "ERROR": answers.handle_error,
}

# Runs of consecutive messages of these types are applied at once (sidekit.inbox), with the effect
# of the one-message handler on each in turn.
BATCH_HANDLERS: dict[str, BatchHandler] = {"ACK": answers.handle_acks}

__all__ = ["BATCH_HANDLERS", "HANDLERS", "Done", "Handler"]
