"""Publishing into the exchange (ExchangeStore's first part): idempotent by message_id, refused
on arrival when the id comes back with another payload or a document's place is taken (the
refusals are recorded and answered, refusals.py); the receivers are woken at the commit."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.exchange import refusals
from dealerhub.exchange.contracts import Message
from dealerhub.exchange.models import archive, messages
from dealerhub.exchange.transactions import chunks
from dealerhub.exchange.wakeup import EXCHANGE_CHANNEL, notify
from dealerhub.shared import clock
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)


class PublishResult(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same message_id with the same payload was there: nothing to do
    # Refused, recorded in exchange_refused_messages as `error` and answered with an ERROR:
    CONFLICT = "conflict"  # the same message_id with another payload (duplicate_conflict)
    OUT_OF_ORDER = "out_of_order"  # another message holds its place in the document (out_of_order)


class Publishing:
    db: Database

    def publish(self, message: Message) -> PublishResult:
        """Store one message (see publish_many)."""
        return self.publish_many([message])[message.message_id]

    def publish_many(self, batch: Sequence[Message]) -> dict[str, PublishResult]:
        """Store a batch in one transaction. An id already present with the same payload is a
        duplicate (nothing to do); with another payload, or a place in a document that another
        message holds, the message is refused: recorded in exchange_refused_messages as `error`
        and answered with an ERROR (refusals.py), and the rest is stored. The places are checked
        when the insert fails on the document key (the common path reads nothing for them); a
        concurrent publisher of the same ids fails the first try the same way."""
        if len({msg.message_id for msg in batch}) != len(batch):
            raise ValueError("a batch to publish holds the same message id twice")
        check_slots = False
        for attempt in range(3):
            try:
                with self.db.transaction() as s:
                    return self._publish(s, batch, check_slots=check_slots)
            except IntegrityError:
                if attempt == 2:
                    raise
                check_slots = True
                log.info("publish: a unique key refused the batch; checking ids and document places again")
        raise AssertionError("unreachable")

    def _publish(
        self, s: Session, batch: Sequence[Message], *, check_slots: bool
    ) -> dict[str, PublishResult]:
        known = self._known_ids(s, [msg.message_id for msg in batch])
        now = clock.now()
        results: dict[str, PublishResult] = {}
        refused_now: list[refusals.Refusal] = []
        to_store: list[Message] = []
        places: dict[refusals.Slot, str] = {}
        for msg in batch:
            if msg.message_id in known:
                stored_id, digest, where = known[msg.message_id]
                if digest == msg.payload_sha256:
                    results[msg.message_id] = PublishResult.DUPLICATE
                else:
                    results[msg.message_id] = PublishResult.CONFLICT
                    refused_now.append(refusals.duplicate(msg, stored_id, digest, where))
                continue
            slot = refusals.slot_of(msg)
            if slot is not None and slot in places:
                results[msg.message_id] = PublishResult.OUT_OF_ORDER
                refused_now.append(refusals.slot_taken(msg, None, places[slot]))
                continue
            if slot is not None:
                places[slot] = msg.message_id
            results[msg.message_id] = PublishResult.STORED
            to_store.append(msg)
        if check_slots and places:
            holders = refusals.slot_holders(s, list(places))
            for msg in list(to_store):
                holder = holders.get(refusals.slot_of(msg))  # type: ignore[arg-type]
                if holder is not None:
                    to_store.remove(msg)
                    results[msg.message_id] = PublishResult.OUT_OF_ORDER
                    refused_now.append(refusals.slot_taken(msg, *holder))
        rows = refusals.new_rows(to_store, now)
        if refused_now:
            for msg_id in {x.message.message_id for x in refused_now}:
                log.warning("publish: %s refused: %s", msg_id, results[msg_id])
            answers = refusals.record(s, refused_now, now)
            present = self._known_ids(s, [a.message_id for a in answers])
            rows += refusals.new_rows([a for a in answers if a.message_id not in present], now)
        if rows:
            s.execute(insert(messages), rows)
            for receiver in sorted({row["receiver"] for row in rows}):
                notify(s, EXCHANGE_CHANNEL, receiver)  # its nodes wake at the commit (wakeup.py)
        return results

    def _known_ids(self, s: Session, ids: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        """message_id -> (row id, payload hash, table) of the ids already stored, live or archived."""
        known: dict[str, tuple[int, str, str]] = {}
        for table in (messages, archive):
            for chunk in chunks(ids, 500):
                rows = s.execute(
                    select(table.c.id, table.c.message_id, table.c.payload_sha256).where(
                        table.c.message_id.in_(chunk)
                    )
                )
                known.update({row.message_id: (row.id, row.payload_sha256, table.name) for row in rows})
        return known
