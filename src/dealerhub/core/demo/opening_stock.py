"""Opening balances: one posted stock correction (kind surplus, "opening balance") per warehouse and
batch of lines, through the inventory use cases, so the registers hold real moves."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from dealerhub.core.demo.catalog_writer import CatalogRefs
from dealerhub.core.demo.timeline import OPENING_DAYS_BEFORE, Progress, at, set_time
from dealerhub.core.inventory import CorrectionLineInput, create_stock_correction, post_stock_correction
from dealerhub.shared.db import Database

LINES_PER_DOCUMENT = 1000
REASON = "Ввод начальных остатков (демо)"
# Share of the catalog each warehouse holds at the start, and at most how many items: a huge
# catalog is mostly items ordered from the factory on demand, not kept in stock.
SHARE = {"MSK": (0.7, 15_000), "EKB": (0.3, 6_000), "NSK": (0.25, 5_000), "KRD": (0.25, 5_000)}
PACK = {"l": (20, 208), "kg": (18,)}


@dataclass(frozen=True)
class StockLine:
    item_id: int
    quantity: Decimal


def plan_opening_stock(rng: random.Random, refs: CatalogRefs) -> dict[str, list[StockLine]]:
    """What each open warehouse holds at the start; machines stand in Moscow only."""
    plan: dict[str, list[StockLine]] = {code: [] for code in SHARE}
    chance = {code: min(share, cap / max(1, len(refs.items))) for code, (share, cap) in SHARE.items()}
    for item in refs.items:
        for code in SHARE:
            if (item.kind == "machine" and code != "MSK") or rng.random() >= chance[code]:
                continue
            plan[code].append(StockLine(item.id, opening_quantity(rng, item.kind, item.unit, item.price)))
    return plan


def opening_quantity(rng: random.Random, kind: str, unit: str, price: Decimal) -> Decimal:
    if unit in PACK:
        return Decimal(rng.choice(PACK[unit]) * rng.randint(2, 40))
    if unit == "m":
        return Decimal(rng.randint(500, 20_000)).scaleb(-1)
    if kind == "machine":
        return Decimal(rng.randint(1, 3))
    if price > 100_000:
        return Decimal(rng.randint(1, 6))
    if price > 5_000:
        return Decimal(rng.randint(2, 40))
    return Decimal(rng.randint(10, 300))


def post_opening_stock(
    database: Database,
    plan: dict[str, list[StockLine]],
    warehouses: dict[str, int],
    user_id: int,
    progress: Progress,
) -> int:
    """Post the plan as stock corrections; returns how many documents."""
    progress.phase("opening balances", sum(len(lines) for lines in plan.values()))
    documents = 0
    for code, lines in plan.items():
        for batch in _batches(lines, LINES_PER_DOCUMENT):
            set_time(at(OPENING_DAYS_BEFORE, hour=8, minute=documents % 60))
            with database.transaction() as s:
                correction = create_stock_correction(
                    s,
                    user_id=user_id,
                    warehouse_id=warehouses[code],
                    kind="surplus",
                    reason=REASON,
                    lines=[CorrectionLineInput(line.item_id, line.quantity) for line in batch],
                )
                post_stock_correction(s, correction.id, user_id=user_id)
            documents += 1
            progress.advance(len(batch))
    return documents


def _batches(lines: list[StockLine], size: int) -> Iterator[list[StockLine]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]
