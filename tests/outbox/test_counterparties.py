"""COUNTERPARTY: "upfront" sends contractors on create and change, "lazy" only before the first
document that refers to one (and then its changes); deactivation withdraws; partner roles;
the exact payload; the full send."""

from __future__ import annotations

import pytest

from dealerhub.core import partners as p
from dealerhub.core.partners.wms_messages import send_all_counterparties
from tests.integration.sales_builders import approved_order, posted_task
from tests.outbox.helpers import outbox, wms_world

SBER = {"inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"}


def _partner_and_contractor(db, **partner):
    with db.transaction() as s:
        pid = p.create_partner(s, user_id=None, name="Техстрой", is_dealer=True, **partner).id
        cid = p.add_contractor(
            s, pid, user_id=None, name="ООО «Техстрой»", legal_address="Москва, ул. Лесная, 5", **SBER
        ).id
    return pid, cid


def _entries(db):
    return [
        [(c["code"], c["action"]) for c in r.payload["counterparties"]] for r in outbox(db) if r.type == "COUNTERPARTY"
    ]


def test_upfront_sends_a_new_contractor_its_changes_and_its_withdrawal(core_db, exchange_settings):
    exchange_settings(exchange_counterparties="upfront")
    pid, cid = _partner_and_contractor(core_db)
    (row,) = outbox(core_db)
    assert (row.type, row.warehouse_code, row.document_type, row.document_number, row.document_seq) == (
        "COUNTERPARTY", None, "counterparties", "counterparties", 1,
    )
    assert row.payload == {"counterparties": [{
        "code": str(cid),
        "partner_code": str(pid),
        "name": "ООО «Техстрой»",
        "inn": "7707083893",
        "kpp": "773601001",
        "address": "Москва, ул. Лесная, 5",
        "roles": ["customer"],
        "action": "upsert",
    }]}
    with core_db.transaction() as s:
        p.update_contractor(s, cid, user_id=None, postal_address="Москва, а/я 12")
    with core_db.transaction() as s:
        p.update_partner(s, pid, user_id=None, is_supplier=True)
    with core_db.transaction() as s:
        p.update_contractor(s, cid, user_id=None, is_active=False)
    rows = outbox(core_db)
    assert _entries(core_db) == [[(str(cid), a)] for a in ("upsert", "upsert", "upsert", "withdraw")]
    assert rows[1].payload["counterparties"][0]["address"] == "Москва, а/я 12"
    assert rows[2].payload["counterparties"][0]["roles"] == ["customer", "supplier"]
    assert [r.document_seq for r in rows] == [1, 2, 3, 4]


def test_lazy_waits_for_the_first_document_and_then_follows_changes(core_db):
    w = wms_world(core_db)
    with core_db.transaction() as s:  # a change before any document: the WMS doesn't know it yet
        p.update_contractor(s, w.contractor_id, user_id=None, postal_address="Казань, ул. Новая, 1")
    assert outbox(core_db) == []
    posted_task(core_db, w, approved_order(core_db, w, ("1", "")))
    with core_db.transaction() as s:
        p.update_contractor(s, w.contractor_id, user_id=None, postal_address="Казань, ул. Старая, 2")
    assert [r.type for r in outbox(core_db)] == ["COUNTERPARTY", "ORDERS", "COUNTERPARTY"]
    first, _, change = outbox(core_db)
    assert first.payload["counterparties"][0]["address"] == "Казань, ул. Новая, 1"
    assert change.payload["counterparties"][0]["address"] == "Казань, ул. Старая, 2"


def test_lazy_sends_nothing_for_a_new_contractor(core_db):
    _partner_and_contractor(core_db)
    assert outbox(core_db) == []


def test_a_refused_contractor_change_sends_nothing(core_db, exchange_settings):
    exchange_settings(exchange_counterparties="upfront")
    _pid, cid = _partner_and_contractor(core_db)
    before = outbox(core_db)
    with pytest.raises(p.InvalidIdentifier), core_db.transaction() as s:
        p.update_contractor(s, cid, user_id=None, inn="7707083894")  # bad check digits
    assert outbox(core_db) == before


def test_send_all_counterparties_in_batches(core_db):
    ids = []
    for n in range(3):
        with core_db.transaction() as s:
            pid = p.create_partner(s, user_id=None, name=f"Поставщик {n}", is_supplier=True).id
            ids.append(p.add_contractor(s, pid, user_id=None, name=f"Supplier {n} Ltd", inn=None, country="CN").id)
    with core_db.transaction() as s:
        assert send_all_counterparties(s, batch=2) == 3
    assert _entries(core_db) == [[(str(ids[0]), "upsert"), (str(ids[1]), "upsert")], [(str(ids[2]), "upsert")]]
    assert outbox(core_db)[0].payload["counterparties"][0]["inn"] is None
