"""What each side of the exchange (the core, the WMS, any other node) needs around the exchange
database, independent of its own tables and business: the outbox and inbox table definitions for any
declarative base, enqueueing with per-document sequence numbers, the relay of an outbox into the
exchange, the "apply a batch, a savepoint and an inbox row per message" skeleton, and a consumer
that claims a node's messages and settles their outcomes.

It imports only `shared` and the exchange (contracts, store). See /work/notes/sidekit.md and
docs/mechanisms/exchange.md.
"""

from dealerhub.exchange.sidekit.inbox import BatchHandler, Done, Handler, Inbox
from dealerhub.exchange.sidekit.outbox import Outbox
from dealerhub.exchange.sidekit.outcomes import Applied, Failed, NotYet, Outcome, Reject, Rejected, Wait
from dealerhub.exchange.sidekit.tables import InboxTable, OutboxTables, inbox_table, outbox_tables

__all__ = [
    "Applied",
    "BatchHandler",
    "Done",
    "Failed",
    "Handler",
    "Inbox",
    "InboxTable",
    "NotYet",
    "Outbox",
    "OutboxTables",
    "Outcome",
    "Reject",
    "Rejected",
    "Wait",
    "inbox_table",
    "outbox_tables",
]
