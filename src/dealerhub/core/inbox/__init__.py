"""The core's inbox: inbound exchange messages applied exactly once (the message id is recorded in
the same transaction as the effect), each answered with an ACK or an ERROR through the outbox.

    outcomes = apply_batch(core_db, messages)   # one transaction, a savepoint per message

The outcomes, the handlers' Reject / NotYet and InboundMessage are sidekit's (shared with the WMS).
"""

from dealerhub.core.inbox.apply import apply_batch, apply_in_session
from dealerhub.exchange.sidekit.inbox import InboundMessage
from dealerhub.exchange.sidekit.outcomes import Applied, Failed, Outcome, Rejected, Wait

__all__ = ["Applied", "Failed", "InboundMessage", "Outcome", "Rejected", "Wait", "apply_batch", "apply_in_session"]
