"""Applying a batch of inbound messages: one core transaction, a savepoint per message (sidekit's
Inbox loop over the core's inbox table, with the core's handlers; the WMS runs the same loop).

For each message: if the inbox knows its id, nothing happens again (Applied(already) or the earlier
Rejected, with no second answer). Otherwise its handler runs inside a savepoint:
- applied: the inbox row (status applied, the document it made) and the ACK go into the same
  savepoint, so the effect, the record and the answer commit together or not at all;
- refused (bad input; a business rule's DomainError mapped by codes.classify): the savepoint is
  rolled back, then the inbox row (status rejected) and the ERROR are written in the batch
  transaction, so the refusal is answered exactly once;
- waiting (unknown item or warehouse...): the savepoint is rolled back; nothing is written;
- failed (any other exception): the savepoint is rolled back; nothing is written; the exchange
  retries it. A failure of the transaction itself (lost connection) propagates: nothing of the
  batch is committed and every message of it is retried.
One commit per batch keeps the loop fast; a bad message never spoils the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.core.inbox.codes import classify
from dealerhub.core.inbox.handlers import BATCH_HANDLERS, HANDLERS
from dealerhub.core.inbox.models import INBOX_TABLE
from dealerhub.core.outbox.enqueue import CORE_OUTBOX
from dealerhub.exchange.contracts import Message
from dealerhub.exchange.sidekit import Inbox, Outcome
from dealerhub.exchange.sidekit.inbox import InboundMessage
from dealerhub.shared.db import Database

CORE_INBOX = Inbox(INBOX_TABLE, CORE_OUTBOX, HANDLERS, classify=classify, node_name="the core",
                   batch_handlers=BATCH_HANDLERS)


def apply_batch(core_db: Database, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
    """Apply `messages` (in this order) in one core transaction; an outcome per message."""
    return CORE_INBOX.apply_batch(core_db, messages)


def apply_in_session(s: Session, messages: Sequence[InboundMessage | Message]) -> list[Outcome]:
    """apply_batch inside the caller's transaction (it commits)."""
    return CORE_INBOX.apply_in_session(s, messages)
