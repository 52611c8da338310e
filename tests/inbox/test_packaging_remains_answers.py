"""PACKAGING updates the item's measurements and levels; REMAINS collects a snapshot's parts and
builds the reconciliation report without touching stock; ACK and ERROR are noted on the outbox."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from dealerhub.core.catalog import add_barcode, set_packaging
from dealerhub.core.catalog.models import Barcode, Item, ItemPackaging
from dealerhub.core.inbox import apply_batch
from dealerhub.core.inbox.reports import list_reports, report_lines
from dealerhub.core.outbox import enqueue
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.stock.models import StockBalance, StockMove
from dealerhub.exchange.contracts import (
    AckV1,
    ErrorCode,
    ErrorV1,
    PackagingItem,
    PackagingLevel,
    PackagingV1,
    RemainsRow,
    RemainsV1,
)
from dealerhub.shared import clock
from tests.inbox.builders import AT, answers, applied_once, inbox, q, refused, waits, wms
from tests.inbox.world import stocked
from tests.integration.purchasing_builders import put

D = Decimal


def _item_state(core_db, item_id):
    with core_db.session() as s:
        item = s.get(Item, item_id)
        levels = s.execute(
            select(ItemPackaging.name, ItemPackaging.quantity, ItemPackaging.weight_kg, ItemPackaging.length_mm,
                   ItemPackaging.source).where(ItemPackaging.item_id == item_id).order_by(ItemPackaging.name)
        ).all()
        barcodes = s.execute(
            select(Barcode.barcode, ItemPackaging.name).outerjoin(ItemPackaging, ItemPackaging.id == Barcode.packaging_id)
            .where(Barcode.item_id == item_id).order_by(Barcode.barcode)
        ).all()
        return (item.weight_kg, item.length_mm, item.width_mm, item.height_mm), levels, barcodes


def test_packaging_replaces_the_items_measurements_and_levels(core_db):
    w = stocked(core_db)
    with core_db.transaction() as s:
        old = set_packaging(s, w.pump_id, user_id=None, name="crate", quantity=D(2))
        add_barcode(s, w.pump_id, user_id=None, barcode="4006381333931", packaging_id=old.id)
        add_barcode(s, w.filter_id, user_id=None, barcode="5901234123457")
    message = wms(PackagingV1(items=[PackagingItem(
        item_code=w.pump, weight_kg="12.500", length_mm="400", width_mm="300", height_mm=None,
        levels=[
            PackagingLevel(name="box", quantity=q(4), barcode="4006381333931", weight_kg="51.000", length_mm="820"),
            PackagingLevel(name="pallet", quantity=q(40), barcode="5901234123457"),
        ],
    )]))
    applied_once(core_db, message, lambda: _item_state(core_db, w.pump_id))
    measures, levels, barcodes = _item_state(core_db, w.pump_id)
    assert measures == (D("12.5"), 400, 300, None)
    assert levels == [("box", D(4), D(51), 820, "wms"), ("pallet", D(40), None, None, "wms")]
    assert barcodes == [("4006381333931", "box")]  # the crate is gone; the barcode moved to the box
    [(_, _, ack)] = [a for a in answers(core_db) if a[1] == message.envelope.message_id]
    assert ack["note"] == f"1 item(s) measured; barcode 5901234123457 belongs to item {w.filter}: not linked to {w.pump}"


def test_packaging_of_an_unknown_item_waits(core_db):
    stocked(core_db)
    assert waits(core_db, wms(PackagingV1(items=[PackagingItem(item_code="NEW-1")])), "unknown_item") == (
        "unknown item code(s) NEW-1"
    )


def _remains(snapshot, part, total, rows, *, as_of=AT):
    return wms(
        RemainsV1(snapshot_id=snapshot, as_of=as_of, part=part, parts_total=total,
                  rows=[RemainsRow(item_code=c, status=st, quantity=q(n)) for c, st, n in rows]),
        document=("remains", snapshot, part),
    )


def _stock(core_db):
    with core_db.session() as s:
        return (s.execute(select(StockBalance.__table__).order_by("item_id", "warehouse_id")).all(),
                s.execute(select(StockMove.id)).all())


def test_remains_in_parts_build_a_report_of_differences_and_never_touch_stock(core_db):
    clock.freeze(AT - timedelta(hours=1))
    w = stocked(core_db)  # 10 pumps, 5 filters on MSK, as of an hour before the snapshot
    clock.freeze(AT + timedelta(hours=1))
    with core_db.transaction() as s:
        put(s, w.pump_id, w.main_id, "100")  # after the snapshot's time: not compared
        put(s, w.oil_id, w.defect_id, "1.5")
    clock.freeze(None)
    before = _stock(core_db)
    part1 = _remains("S-1", 1, 2, [(w.pump, "available", "7"), (w.pump, "allocated", "3"), (w.pump, "defect", "1")])
    [outcome] = apply_batch(core_db, [part1])
    assert outcome.note == "snapshot S-1: 1 of 2 parts in"
    with core_db.session() as s:
        assert list_reports(s) == ([], 0)
    part2 = _remains("S-1", 2, 2, [(w.filter, "available", "4"), (w.oil, "quarantine", "2")])
    applied_once(core_db, part2, lambda: _stock(core_db))
    assert _stock(core_db) == before
    with core_db.session() as s:
        [report], total = list_reports(s, warehouse_id=w.main_id)
        assert (total, report.snapshot_id, report.rows_total, report.differences) == (1, "S-1", 3, 3)
        lines = report_lines(s, report.id)
        assert [(ln.item_id, ln.wms_available, ln.wms_allocated, ln.wms_defect, ln.wms_quarantine, ln.core_on_hand,
                 ln.difference, ln.core_defect_on_hand, ln.defect_difference) for ln in lines] == [
            (w.pump_id, D(7), D(3), D(1), D(0), D(10), D(0), D(0), D(1)),  # in item code order
            (w.filter_id, D(4), D(0), D(0), D(0), D(5), D(-1), D(0), D(0)),
            (w.oil_id, D(0), D(0), D(0), D(2), D(0), D(0), D(0), D(2)),
        ]
        assert [ln.item_id for ln in report_lines(s, report.id, only_differences=True)] == [
            ln.item_id for ln in lines
        ]
    assert [i[2] for i in inbox(core_db)] == ["applied", "applied"]


def test_a_part_that_came_already_or_does_not_match_its_snapshot_is_refused(core_db):
    w = stocked(core_db)
    apply_batch(core_db, [_remains("S-2", 1, 2, [(w.pump, "available", "10")])])
    assert refused(core_db, _remains("S-2", 1, 2, [(w.pump, "available", "9")]), "quantity_mismatch").startswith(
        "part 1 of snapshot S-2 came already"
    )
    assert refused(core_db, _remains("S-2", 2, 3, []), "quantity_mismatch") == (
        "part 2 of snapshot S-2 differs from its earlier parts in warehouse, as_of or parts_total"
    )


def test_ack_and_error_are_noted_on_the_core_message_and_not_answered(core_db):
    stocked(core_db)
    with core_db.transaction() as s:
        ours = [enqueue(s, AckV1(message_id=m, result="applied")).message_id for m in (
            "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002")]
    ack = wms(AckV1(message_id=ours[0], result="applied"), correlation_id=ours[0])
    error = wms(ErrorV1(message_id=ours[1], code=ErrorCode.UNKNOWN_ITEM, reason="no I000009"), correlation_id=ours[1])
    outcomes = apply_batch(core_db, [ack, error, ack])
    assert [(type(o).__name__, o.already) for o in outcomes] == [("Applied", False), ("Applied", False), ("Applied", True)]
    with core_db.session() as s:
        rows = s.execute(
            select(OutboxMessage.message_id, OutboxMessage.answer, OutboxMessage.error_code, OutboxMessage.error_reason)
            .where(OutboxMessage.message_id.in_(ours)).order_by(OutboxMessage.id)
        ).all()
    assert rows == [(ours[0], "ack", None, None), (ours[1], "error", "unknown_item", "no I000009")]
    assert len(answers(core_db)) == 2  # only the two messages of ours above: no answer to an answer


def test_a_run_of_acks_is_noted_as_one_by_one(core_db):
    stocked(core_db)
    clock.freeze(AT)
    with core_db.transaction() as s:
        ours = [enqueue(s, AckV1(message_id=f"00000000-0000-4000-8000-00000000000{n}", result="applied")).message_id
                for n in range(1, 5)]
    unknown = "00000000-0000-4000-8000-0000000000ff"

    def acks(*answered):
        return [wms(AckV1(message_id=m, result="applied"), correlation_id=m) for m in answered]

    # ours[0] and ours[1] as a run of ACKs (ours[1] twice, an ACK of a message the outbox never had
    # between), an ERROR splitting the run, then ours[2]; ours[3] one by one, the same way.
    error = wms(ErrorV1(message_id=ours[1], code=ErrorCode.UNKNOWN_ITEM, reason="no I000009"), correlation_id=ours[1])
    together = apply_batch(core_db, [*acks(ours[0], ours[1], unknown, ours[1]), error, *acks(ours[0])])
    alone = [o for m in [*acks(ours[2], ours[3], unknown, ours[3])] for o in apply_batch(core_db, [m])]
    notes = [o.note for o in together]
    assert notes == [f"ACK for {ours[0]}", f"ACK for {ours[1]}", f"ACK for {unknown} (no such message in the outbox)",
                     f"ACK for {ours[1]}", f"ERROR unknown_item for {ours[1]}", f"ACK for {ours[0]}"]
    assert [o.note for o in alone] == [n.replace(ours[1], ours[3]).replace(ours[0], ours[2]) for n in notes[:4]]
    with core_db.session() as s:
        rows = s.execute(
            select(OutboxMessage.message_id, OutboxMessage.answer, OutboxMessage.answered_at, OutboxMessage.error_code)
            .where(OutboxMessage.message_id.in_(ours)).order_by(OutboxMessage.id)
        ).all()
    assert rows == [(ours[0], "ack", AT, None), (ours[1], "error", AT, "unknown_item"), (ours[2], "ack", AT, None),
                    (ours[3], "ack", AT, None)]


def test_goods_the_wms_does_not_keep_are_no_difference(core_db):
    """Oil is on the books of MSK but not "use in WMS": the WMS never heard of it, so its stock is
    no difference; a pump the WMS reports is compared even after its flag went off."""
    from dealerhub.core.catalog import update_item

    clock.freeze(AT - timedelta(hours=1))
    w = stocked(core_db)
    with core_db.transaction() as s:
        update_item(s, w.oil_id, user_id=None, use_in_wms=False)
        update_item(s, w.pump_id, user_id=None, use_in_wms=False)
        put(s, w.oil_id, w.main_id, "4")
    clock.freeze(None)
    apply_batch(core_db, [_remains("S-9", 1, 1, [(w.pump, "available", "10"), (w.filter, "available", "5")])])
    with core_db.session() as s:
        [report], _total = list_reports(s, warehouse_id=w.main_id)
        assert (report.rows_total, report.differences) == (2, 0)
        assert [ln.item_id for ln in report_lines(s, report.id)] == [w.pump_id, w.filter_id]
