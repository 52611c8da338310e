"""Purchasing and warehouse history of the demo, through the real use cases: supplier orders to the
Chinese factories (CNY/USD), goods receipts against them (some partial, the newest still in
transit), a transfer to a regional warehouse, damaged goods moved to the defect warehouse and a
write-off after a count."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from dealerhub.core.demo.catalog_writer import CatalogRefs, ItemFacts
from dealerhub.core.demo.opening_stock import StockLine, opening_quantity
from dealerhub.core.demo.partners_writer import PartnerRefs
from dealerhub.core.demo.timeline import HISTORY_DAYS, Progress, at, set_time
from dealerhub.core.inventory import (
    CorrectionLineInput,
    TransferLineInput,
    create_stock_correction,
    create_transfer,
    post_stock_correction,
    post_transfer,
)
from dealerhub.core.purchasing import (
    SupplierOrderLineInput,
    create_goods_receipt_from_order,
    create_supplier_order,
    post_goods_receipt,
    post_supplier_order,
)
from dealerhub.shared.db import Database

CENT = Decimal("0.01")
IN_TRANSIT_DAYS = 45
# supplier index (partner_words.SUPPLIERS) -> currency, invoice prefix
TERMS = {0: ("CNY", "SHL"), 1: ("CNY", "HDH"), 2: ("CNY", "WLF"), 3: ("USD", "LBT")}


@dataclass(frozen=True)
class PurchaseCounts:
    supplier_orders: int
    goods_receipts: int


def supplier_pools(refs: CatalogRefs) -> list[list[ItemFacts]]:
    """What each factory makes: Shanlin everything of its brand, the others hydraulics, filters, fluids."""
    originals = [i for i in refs.items if i.original and i.kind not in ("fluid", "machine")]
    return [
        originals,
        [i for i in originals if i.group.startswith("SP-HYD")] or originals,
        [i for i in originals if i.group == "SP-ENG-FLT"] or originals,
        [i for i in refs.items if i.kind == "fluid"] or originals,
    ]


def post_purchases(
    database: Database,
    rng: random.Random,
    count: int,
    refs: CatalogRefs,
    partners: PartnerRefs,
    user_id: int,
    progress: Progress,
) -> PurchaseCounts:
    progress.phase("supplier orders and receipts", count)
    pools = supplier_pools(refs)
    receipts = 0
    for k in range(count):
        supplier = k % len(partners.suppliers)
        days_before = HISTORY_DAYS - k * (HISTORY_DAYS - 5) // max(1, count)
        receipts += _one_purchase(database, rng, k, supplier, days_before, pools[supplier], partners, user_id)
        progress.advance()
    return PurchaseCounts(count, receipts)


def _one_purchase(
    database: Database,
    rng: random.Random,
    k: int,
    supplier: int,
    days_before: int,
    pool: list[ItemFacts],
    partners: PartnerRefs,
    user_id: int,
) -> int:
    currency, prefix = TERMS[supplier]
    rate = Decimal(rng.randint(12_300, 13_400) if currency == "CNY" else rng.randint(86_000, 97_000)).scaleb(
        -3
    )
    items = rng.sample(pool, min(len(pool), rng.randint(5, 25)))
    warehouse = "MSK" if k % 4 else rng.choice(["EKB", "NSK", "KRD"])
    partner_id, contractor_id = partners.suppliers[supplier]
    ordered_at = at(days_before, hour=10)
    set_time(ordered_at)
    with database.transaction() as s:
        order = create_supplier_order(
            s,
            user_id=user_id,
            partner_id=partner_id,
            contractor_id=contractor_id,
            warehouse_id=partners.warehouses[warehouse],
            currency=currency,
            exchange_rate=rate,
            expected_date=(ordered_at + timedelta(days=IN_TRANSIT_DAYS)).date(),
            lines=[
                SupplierOrderLineInput(
                    i.id, 2 * opening_quantity(rng, i.kind, i.unit, i.price), _price(i, rate)
                )
                for i in items
            ],
        )
        post_supplier_order(s, order.id, user_id=user_id)
        order_id, lines = (
            order.id,
            [(line.id, line.quantity, items[n].unit) for n, line in enumerate(order.lines)],
        )
    if days_before <= IN_TRANSIT_DAYS:
        return 0  # still on its way from China
    invoice = f"{prefix}{ordered_at.year}-{k + 1:04d}"
    if k % 3 == 0:
        # Two shipments: most of each line first, the rest a week later.
        first = {
            line_id: part for line_id, qty, unit in lines if (part := _share(qty, unit, Decimal("0.6"))) > 0
        }
        _receive(
            database, order_id, f"{invoice}/1", days_before - IN_TRANSIT_DAYS + 7, user_id, first or None
        )
        _receive(database, order_id, f"{invoice}/2", days_before - IN_TRANSIT_DAYS, user_id, None)
        return 2
    _receive(database, order_id, invoice, days_before - IN_TRANSIT_DAYS, user_id, None)
    return 1


def _receive(
    database: Database,
    order_id: int,
    invoice: str,
    days_before: int,
    user_id: int,
    quantities: dict[int, Decimal] | None,
) -> None:
    received_at = at(max(days_before, 1), hour=14)
    set_time(received_at)
    with database.transaction() as s:
        receipt = create_goods_receipt_from_order(
            s,
            order_id,
            user_id=user_id,
            supplier_invoice_number=invoice,
            supplier_invoice_date=(received_at - timedelta(days=IN_TRANSIT_DAYS)).date(),
            quantities=quantities,
        )
        post_goods_receipt(s, receipt.id, user_id=user_id)


def post_warehouse_moves(
    database: Database,
    rng: random.Random,
    opening: dict[str, list[StockLine]],
    partners: PartnerRefs,
    user_id: int,
) -> int:
    """A replenishment transfer Moscow -> Ekaterinburg, damaged goods to the defect warehouse and a
    write-off after a count in Krasnodar, all early in the history (before any sale)."""
    w = partners.warehouses
    plenty = [
        line
        for line in opening["MSK"]
        if line.quantity >= 10 and line.quantity == line.quantity.to_integral()
    ]
    # source, target, reason, lines, tenths of the stock moved
    moves = [
        ("MSK", "EKB", "Пополнение регионального склада", rng.sample(plenty, min(12, len(plenty))), 4),
        ("MSK", "DEFECT", "Повреждение упаковки при приёмке", rng.sample(plenty, min(3, len(plenty))), 1),
    ]
    counted = [
        line for line in opening["KRD"] if line.quantity >= 5 and line.quantity == line.quantity.to_integral()
    ]
    documents = 0
    for n, (source, target, reason, lines, tenths) in enumerate(moves):
        if not lines:
            continue
        set_time(at(HISTORY_DAYS + 5 - n, hour=11))
        with database.transaction() as s:
            transfer = create_transfer(
                s,
                user_id=user_id,
                from_warehouse_id=w[source],
                to_warehouse_id=w[target],
                reason=reason,
                lines=[TransferLineInput(line.item_id, _tenths(line.quantity, tenths)) for line in lines],
            )
            post_transfer(s, transfer.id, user_id=user_id)
        documents += 1
    if counted:
        set_time(at(HISTORY_DAYS + 2, hour=17))
        with database.transaction() as s:
            correction = create_stock_correction(
                s,
                user_id=user_id,
                warehouse_id=w["KRD"],
                kind="write_off",
                reason="Недостача по результатам инвентаризации",
                lines=[
                    CorrectionLineInput(line.item_id, Decimal(1))
                    for line in rng.sample(counted, min(2, len(counted)))
                ],
            )
            post_stock_correction(s, correction.id, user_id=user_id)
        documents += 1
    return documents


def _tenths(quantity: Decimal, tenths: int) -> Decimal:
    return max(Decimal(1), (quantity * tenths / 10).to_integral_value(rounding=ROUND_DOWN))


def _price(item: ItemFacts, rate: Decimal) -> Decimal:
    """The factory price: a bit under half the retail price, in the order's currency."""
    return max(CENT, (item.price * Decimal("0.45") / rate).quantize(CENT))


def _share(quantity: Decimal, unit: str, share: Decimal) -> Decimal:
    places = Decimal(1) if unit in ("pcs", "set") else CENT
    return (quantity * share).quantize(places, rounding=ROUND_DOWN)
