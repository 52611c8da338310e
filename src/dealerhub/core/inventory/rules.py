"""Pure rules of the inventory documents: what a stock correction or a transfer writes onto the
stock ledger when it is posted, and the opposite when it is unposted. No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from dealerhub.core.documents import InvalidDocument
from dealerhub.core.inventory.errors import ReasonRequired, SameWarehouse, UnknownCorrectionKind
from dealerhub.core.inventory.models import CORRECTION_KINDS
from dealerhub.core.stock import Move
from dealerhub.shared.texts import T

DRAFT, POSTED = "draft", "posted"
SURPLUS, WRITE_OFF = CORRECTION_KINDS
REASON_MAX_LENGTH = 500

# (line id, item id, quantity) of a document's lines.
LineTuple = tuple[int | None, int, Decimal]


def exact_decimal(value: object, what: str, error: type[InvalidDocument] = InvalidDocument) -> Decimal:
    """An exact Decimal from a Decimal, int or str; floats are refused (they are never exact).
    `what` names the value in the refusal (a Text, to be read in the page's language)."""
    if isinstance(value, float | bool):
        raise TypeError(f"{what}: floats are not accepted for exact amounts; pass Decimal or str")
    try:
        result = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise error(T("%(what)s: %(value)s is not a number", what=what, value=repr(value))) from None
    if not result.is_finite():
        raise error(T("%(what)s: %(value)s is not a number", what=what, value=repr(value)))
    return result


def check_kind(kind: str) -> str:
    if kind not in CORRECTION_KINDS:
        raise UnknownCorrectionKind(
            T("a stock correction is a surplus or a write-off, not %(kind)s", kind=repr(kind)), kind=kind
        )
    return kind


def check_reason(reason: str | None, *, required: bool = True) -> str | None:
    text = (reason or "").strip()
    if not text:
        if required:
            raise ReasonRequired(T("a stock correction needs a reason"))
        return None
    if len(text) > REASON_MAX_LENGTH:
        raise ReasonRequired(
            T("the reason is longer than %(limit)s characters", limit=REASON_MAX_LENGTH)
        )
    return text


def check_transfer_warehouses(from_warehouse_id: int, to_warehouse_id: int) -> None:
    if from_warehouse_id == to_warehouse_id:
        raise SameWarehouse(
            T("a transfer needs two different warehouses: the same one is given twice"), warehouse_id=from_warehouse_id
        )


def correction_moves(kind: str, warehouse_id: int, lines: Iterable[LineTuple], *, reverse: bool = False) -> list[Move]:
    """+q per line for a surplus, -q for a write-off; the opposite when reversing."""
    sign = Decimal(1) if (kind == SURPLUS) != reverse else Decimal(-1)
    return [Move(item_id, warehouse_id, sign * qty, line_id) for line_id, item_id, qty in lines]


def transfer_moves(
    from_warehouse_id: int, to_warehouse_id: int, lines: Iterable[LineTuple], *, reverse: bool = False
) -> list[Move]:
    """-q on the source and +q on the destination per line; the opposite when reversing."""
    source, destination = (to_warehouse_id, from_warehouse_id) if reverse else (from_warehouse_id, to_warehouse_id)
    moves = []
    for line_id, item_id, qty in lines:
        moves.append(Move(item_id, source, -qty, line_id))
        moves.append(Move(item_id, destination, qty, line_id))
    return moves
