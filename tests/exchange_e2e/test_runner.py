"""The core's exchange node (`dealerhub exchange run`): one loop relays the outbox, applies what is
addressed to the core, sends the answers, notes the other side's answers on the outbox rows, and
keeps the tables small."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dealerhub.core.catalog.models import Item
from dealerhub.core.exchange_link import CoreNode, housekeep
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.partners.wms_messages import send_all_counterparties
from dealerhub.exchange.contracts import AckV1, PackagingItem, PackagingV1, build_message
from dealerhub.exchange.models import archive, messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.worker import answer_id
from dealerhub.shared.config import Settings
from tests.inbox.world import D, stocked

SETTINGS = Settings(exchange_poll_seconds=0.01)
# The core on SQLite and PostgreSQL; the exchange beside it, and on MariaDB (the pairs that matter).
PAIRS = pytest.mark.parametrize(
    ("core_db", "exchange_db"),
    [("sqlite", "sqlite"), ("postgresql", "postgresql"), ("postgresql", "mariadb")],
    indirect=True,
)


def _outbox(core_db):
    with core_db.session() as s:
        return s.execute(
            select(OutboxMessage.message_id, OutboxMessage.type, OutboxMessage.correlation_id,
                   OutboxMessage.relayed_at.is_not(None), OutboxMessage.answer).order_by(OutboxMessage.id)
        ).all()


def _exchange(store):
    with store.db.session() as s:
        return {r.message_id: (r.type, r.sender, r.status, r.correlation_id) for r in s.execute(select(messages))}


def _packaging(code):
    return build_message(
        PackagingV1(items=[PackagingItem(item_code=code, weight_kg="7.250", levels=[])]),
        sender="wms", receiver="core", warehouse_code="MSK",
    )


@PAIRS
def test_one_node_relays_applies_answers_and_notes_the_answers(core_db, exchange_db):
    w = stocked(core_db)
    store = ExchangeStore(exchange_db)
    with core_db.transaction() as s:
        send_all_counterparties(s)
    [(counterparty_id, kind, _, relayed, answer)] = _outbox(core_db)
    assert (kind, relayed, answer) == ("COUNTERPARTY", False, None)
    inbound = _packaging(w.pump)
    store.publish(inbound)

    total = CoreNode(core_db, store, SETTINGS).run(threading.Event(), once=True)

    assert (total.taken, total.applied, total.rejected, total.failed) == (1, 1, 0, 0)
    with core_db.session() as s:
        assert s.get(Item, w.pump_id).weight_kg == D("7.25")
    outbox = _outbox(core_db)
    ack_id = outbox[1].message_id
    assert [tuple(r)[1:] for r in outbox] == [
        ("COUNTERPARTY", None, True, None),
        ("ACK", inbound.message_id, True, None),
    ]
    assert _exchange(store) == {
        inbound.message_id: ("PACKAGING", "wms", "done", None),
        counterparty_id: ("COUNTERPARTY", "core", "new", None),  # for the WMS to take
        ack_id: ("ACK", "core", "new", inbound.message_id),
    }
    assert total.relayed == 2

    # The WMS acknowledges the COUNTERPARTY: the next round notes it on the outbox row.
    ack = build_message(AckV1(message_id=counterparty_id, result="applied", note=None), sender="wms",
                        receiver="core", correlation_id=counterparty_id, message_id=answer_id(counterparty_id, "ACK"))
    store.publish(ack)
    again = CoreNode(core_db, store, SETTINGS).run(threading.Event(), once=True)
    assert (again.taken, again.applied, again.relayed) == (1, 1, 0)  # an ACK is not answered
    assert _outbox(core_db)[0].answer == "ack"
    # Nothing more to do: a third run takes and relays nothing, the weight is set once.
    third = CoreNode(core_db, store, SETTINGS).run(threading.Event(), once=True)
    assert (third.taken, third.relayed) == (0, 0)


@PAIRS
def test_housekeeping_purges_relayed_rows_and_archives_done_messages_past_retention(core_db, exchange_db):
    w = stocked(core_db)
    store = ExchangeStore(exchange_db)
    with core_db.transaction() as s:
        send_all_counterparties(s)
    store.publish(_packaging(w.pump))
    CoreNode(core_db, store, SETTINGS, housekeeping_every=None).run(threading.Event(), once=True)
    with core_db.transaction() as s:
        send_all_counterparties(s)  # one row left unrelayed: never purged

    kept = housekeep(core_db, store, timedelta(days=30))
    assert (kept.purged, kept.archived) == (0, 0)
    done = housekeep(core_db, store, timedelta(0))
    assert (done.purged, done.archived) == (2, 1)  # COUNTERPARTY + ACK relayed; the PACKAGING done
    assert [(r.type, r[3]) for r in _outbox(core_db)] == [("COUNTERPARTY", False)]
    with store.db.session() as s:
        assert s.scalar(select(func.count()).select_from(archive)) == 1
        assert sorted(s.scalars(select(messages.c.status))) == ["new", "new"]


@pytest.mark.parametrize(("core_db", "exchange_db"), [("sqlite", "sqlite")], indirect=True)
def test_a_stop_set_from_elsewhere_ends_a_continuous_run(core_db, exchange_db):
    stocked(core_db)
    node = CoreNode(core_db, ExchangeStore(exchange_db), SETTINGS)
    stop = threading.Event()
    runner = threading.Thread(target=node.run, args=(stop,))
    runner.start()
    stop.set()
    runner.join(timeout=10)
    assert not runner.is_alive()
