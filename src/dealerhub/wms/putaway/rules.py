"""Where to put goods away: pure rules over plain data (no I/O).

A bin qualifies when the goods fit its free capacity in units, volume and weight (a measure the bin
does not limit, or the item has not been measured in, does not count). Among those that fit:
1. bins of the item's home zone before others;
2. a bin that holds the item already (keep one item together);
3. the bin nearest (in route order) to one that holds the item (the same item nearby);
4. the first bin on the route.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class BinRoom:
    bin_id: int
    zone_id: int
    route_order: int
    max_units: Decimal | None
    max_volume_l: Decimal | None
    max_weight_kg: Decimal | None
    used_units: Decimal = ZERO
    used_volume_l: Decimal = ZERO
    used_weight_kg: Decimal = ZERO
    holds_item: bool = False


@dataclass(frozen=True)
class Load:
    quantity: Decimal
    volume_l: Decimal = ZERO  # of the whole quantity
    weight_kg: Decimal = ZERO


def fits(room: BinRoom, load: Load) -> bool:
    checks = (
        (room.max_units, room.used_units, load.quantity),
        (room.max_volume_l, room.used_volume_l, load.volume_l),
        (room.max_weight_kg, room.used_weight_kg, load.weight_kg),
    )
    return all(limit is None or used + add <= limit for limit, used, add in checks)


def suggest_bin(rooms: list[BinRoom], load: Load, home_zone_id: int | None = None) -> int | None:
    """The best bin for `load`, or None when no bin can take it (the storekeeper picks one)."""
    fitting = [r for r in rooms if fits(r, load)]
    if not fitting:
        return None
    holders = [r.route_order for r in rooms if r.holds_item]

    def distance(room: BinRoom) -> int:
        return min((abs(room.route_order - h) for h in holders), default=0)

    def key(room: BinRoom) -> tuple:
        return (home_zone_id is not None and room.zone_id != home_zone_id, not room.holds_item, distance(room),
                room.route_order)

    return min(fitting, key=key).bin_id


def load_of(quantity: Decimal, length_mm: int | None, width_mm: int | None, height_mm: int | None,
            weight_kg: Decimal | None) -> Load:
    volume = ZERO
    if length_mm and width_mm and height_mm:
        volume = (Decimal(length_mm) * width_mm * height_mm / Decimal(1_000_000) * quantity).quantize(Decimal("0.001"))
    return Load(quantity, volume, (weight_kg or ZERO) * quantity)
