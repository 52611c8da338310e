"""CLASSIFIER and GOODS: exact payloads on create and change, only what is flagged "use in WMS"
(item and every ancestor group), flag on/off => upsert/withdraw in a safe order, a changed code
withdraws the old one, the exchange languages, the full catalog send, nothing on a refused change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core import catalog as cat
from dealerhub.core.catalog.wms_messages import send_full_catalog
from tests.integration.catalog_builders import NAMES, catalog_basics, new_item
from tests.outbox.helpers import outbox

D = Decimal


def _catalog(db):
    return [(r.type, r.document_seq, r.payload) for r in outbox(db)]


def _actions(db, since=0):
    """(type, [(code, action)...]) per message after the first `since` ones."""
    result = []
    for r in outbox(db)[since:]:
        entries = r.payload.get("groups") or r.payload.get("items")
        result.append((r.type, [(e["code"], e["action"]) for e in entries]))
    return result


def test_creating_flagged_groups_and_an_item_sends_exact_classifier_and_goods(core_db):
    ref = catalog_basics(core_db)  # PARTS > FILTERS (both flagged) > OIL (not)
    item_id = new_item(core_db, ref, code="FLT-1", brand_id=ref.brand, descriptions={"ru": "Для двигателя", "zh": "发动机"})
    rows = outbox(core_db)
    assert all(
        (r.warehouse_code, r.document_type, r.document_number) == (None, "catalog", "catalog") for r in rows
    )
    assert _catalog(core_db) == [
        ("CLASSIFIER", 1, {"groups": [
            {"code": "PARTS", "parent_code": None, "names": {"ru": "Запчасти", "en": "Parts"}, "action": "upsert"},
        ]}),
        ("CLASSIFIER", 2, {"groups": [
            {"code": "FILTERS", "parent_code": "PARTS", "names": {"ru": "Фильтры"}, "action": "upsert"},
        ]}),
        ("GOODS", 3, {"items": [{
            "code": "FLT-1",
            "article": "6I-2503",
            "brand": "Shanmon",
            "group_code": "FILTERS",
            "unit": {"code": "pcs", "name": "шт", "decimals": 0},
            "names": {"ru": NAMES["ru"], "en": NAMES["en"]},  # zh is not an exchange language
            "descriptions": {"ru": "Для двигателя"},
            "barcodes": [],
            "serial_tracked": False,
            "action": "upsert",
        }]}),
    ]
    assert item_id


def test_items_outside_the_wms_send_nothing(core_db):
    ref = catalog_basics(core_db)
    before = len(outbox(core_db))
    new_item(core_db, ref, group_id=ref.oil)  # OIL is not flagged
    new_item(core_db, ref, use_in_wms=False)
    assert len(outbox(core_db)) == before


def test_an_item_flag_off_withdraws_and_on_upserts_again(core_db):
    ref = catalog_basics(core_db)
    item_id = new_item(core_db, ref, code="FLT-2")
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_item(s, item_id, user_id=ref.user, use_in_wms=False)
    with core_db.transaction() as s:
        cat.update_item(s, item_id, user_id=ref.user, use_in_wms=True)
    assert _actions(core_db, start) == [("GOODS", [("FLT-2", "withdraw")]), ("GOODS", [("FLT-2", "upsert")])]
    withdraw, upsert = outbox(core_db)[start:]
    assert {**withdraw.payload["items"][0], "action": "upsert"} == upsert.payload["items"][0]
    assert [withdraw.document_seq, upsert.document_seq] == [start + 1, start + 2]


def test_a_group_flag_off_withdraws_items_before_groups_and_on_sends_groups_first(core_db):
    ref = catalog_basics(core_db)
    with core_db.transaction() as s:  # a flagged subgroup under FILTERS
        sub = cat.create_group(s, user_id=ref.user, code="AIR", names={"ru": "Воздушные"}, parent_id=ref.filters,
                               use_in_wms=True).id
    new_item(core_db, ref, code="F-1")
    new_item(core_db, ref, code="A-1", group_id=sub)
    new_item(core_db, ref, code="O-1", group_id=ref.oil)  # never in the WMS
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_group(s, ref.filters, user_id=ref.user, use_in_wms=False)
    assert _actions(core_db, start) == [
        ("GOODS", [("F-1", "withdraw"), ("A-1", "withdraw")]),
        ("CLASSIFIER", [("AIR", "withdraw"), ("FILTERS", "withdraw")]),  # children first
    ]
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_group(s, ref.filters, user_id=ref.user, use_in_wms=True)
    assert _actions(core_db, start) == [
        ("CLASSIFIER", [("FILTERS", "upsert"), ("AIR", "upsert")]),  # parents first
        ("GOODS", [("F-1", "upsert"), ("A-1", "upsert")]),
    ]


def test_renaming_a_group_sends_only_the_group_and_a_new_code_moves_its_items(core_db):
    ref = catalog_basics(core_db)
    new_item(core_db, ref, code="F-1")
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_group(s, ref.filters, user_id=ref.user, names={"en": "Filters"})
    assert _actions(core_db, start) == [("CLASSIFIER", [("FILTERS", "upsert")])]
    assert outbox(core_db)[-1].payload["groups"][0]["names"] == {"ru": "Фильтры", "en": "Filters"}
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_group(s, ref.filters, user_id=ref.user, code="FLT")
    assert _actions(core_db, start) == [
        ("CLASSIFIER", [("FLT", "upsert")]),
        ("GOODS", [("F-1", "upsert")]),
        ("CLASSIFIER", [("FILTERS", "withdraw")]),
    ]
    assert outbox(core_db)[-2].payload["items"][0]["group_code"] == "FLT"


def test_a_new_item_code_withdraws_the_old_one_first_and_a_barcode_is_an_upsert(core_db):
    ref = catalog_basics(core_db)
    item_id = new_item(core_db, ref, code="OLD")
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        cat.update_item(s, item_id, user_id=ref.user, code="NEW")
    with core_db.transaction() as s:
        cat.add_barcode(s, item_id, user_id=ref.user, barcode="4006381333931")
    with core_db.transaction() as s:  # nothing the WMS sees changes: nothing is sent
        cat.update_item(s, item_id, user_id=ref.user, vat_rate=D(10))
    assert _actions(core_db, start) == [
        ("GOODS", [("OLD", "withdraw"), ("NEW", "upsert")]),
        ("GOODS", [("NEW", "upsert")]),
    ]
    assert outbox(core_db)[-1].payload["items"][0]["barcodes"] == ["4006381333931"]


def test_a_refused_change_sends_nothing(core_db):
    ref = catalog_basics(core_db)
    new_item(core_db, ref, code="TAKEN")
    item_id = new_item(core_db, ref, code="MINE")
    before = outbox(core_db)
    with pytest.raises(cat.DuplicateCode), core_db.transaction() as s:
        cat.update_item(s, item_id, user_id=ref.user, code="TAKEN")
    assert outbox(core_db) == before


def test_names_and_descriptions_go_in_the_exchange_languages(core_db, exchange_settings):
    exchange_settings(exchange_languages="en,zh")
    ref = catalog_basics(core_db)
    new_item(core_db, ref, code="ML", descriptions={"en": "For the engine", "zh": "发动机"})
    goods = outbox(core_db)[-1].payload["items"][0]
    assert (goods["names"], goods["descriptions"]) == (
        {"en": NAMES["en"], "zh": NAMES["zh"]}, {"en": "For the engine", "zh": "发动机"},
    )
    assert goods["unit"]["name"] == "pcs"  # the first exchange language
    assert outbox(core_db)[1].payload["groups"][0]["names"] == {}  # FILTERS has a ru name only


def test_the_full_catalog_goes_groups_first_then_items_in_batches(core_db):
    ref = catalog_basics(core_db)
    for code in ("I-3", "I-1", "I-2"):
        new_item(core_db, ref, code=code)
    new_item(core_db, ref, code="I-OIL", group_id=ref.oil)
    start = len(outbox(core_db))
    with core_db.transaction() as s:
        assert send_full_catalog(s, batch=2) == (2, 3)
    assert _actions(core_db, start) == [
        ("CLASSIFIER", [("PARTS", "upsert"), ("FILTERS", "upsert")]),
        ("GOODS", [("I-3", "upsert"), ("I-1", "upsert")]),  # by id: the order they were made
        ("GOODS", [("I-2", "upsert")]),
    ]
    assert [r.document_seq for r in outbox(core_db)[start:]] == [start + 1, start + 2, start + 3]


def test_machines_travel_as_serial_tracked_and_a_change_of_kind_is_sent(core_db):
    ref = catalog_basics(core_db)
    before = len(outbox(core_db))
    machine = new_item(core_db, ref, code="EXC-1", article="SL-215", kind="machine")
    sent = outbox(core_db)[before:]
    assert [(m.type, [(i["code"], i["serial_tracked"]) for i in m.payload["items"]]) for m in sent] == [
        ("GOODS", [("EXC-1", True)])
    ]
    with core_db.transaction() as s:
        cat.update_item(s, machine, user_id=ref.user, kind="attachment")
    resent = outbox(core_db)[before + 1 :]
    assert [(m.type, [(i["code"], i["serial_tracked"]) for i in m.payload["items"]]) for m in resent] == [
        ("GOODS", [("EXC-1", False)])
    ]
