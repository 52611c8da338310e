"""Transfers between two warehouses: -q on the source (free stock only) and +q on the destination
in one posting. A transfer to a transit, defect or loss warehouse closes the goods for sale."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.core.documents import change_status, new_document
from dealerhub.core.inventory import rules
from dealerhub.core.inventory.inputs import TransferLineInput
from dealerhub.core.inventory.lines import checked_quantities, line_tuples, lock_draft
from dealerhub.core.inventory.models import Transfer, TransferLine
from dealerhub.core.inventory.queries import get_active_warehouse, get_transfer
from dealerhub.core.stock import DocRef, write_stock_moves


def create_transfer(
    s: Session,
    *,
    user_id: int | None,
    from_warehouse_id: int,
    to_warehouse_id: int,
    lines: Sequence[TransferLineInput],
    reason: str | None = None,
    comment: str | None = None,
) -> Transfer:
    _check_warehouses(s, from_warehouse_id, to_warehouse_id)
    new_lines = _build_lines(s, lines)
    transfer = new_document(
        s, Transfer, user_id=user_id, from_warehouse_id=from_warehouse_id, to_warehouse_id=to_warehouse_id,
        reason=rules.check_reason(reason, required=False), comment=comment,
    )
    transfer.lines = new_lines
    s.flush()
    return transfer


def update_transfer(
    s: Session,
    transfer_id: int,
    *,
    user_id: int | None,
    lines: Sequence[TransferLineInput] | None = None,
    from_warehouse_id: int | None = None,
    to_warehouse_id: int | None = None,
    reason: str | None = None,
    comment: str | None = None,
) -> Transfer:
    """Edit a draft: given fields are replaced (lines as a whole); a posted transfer is refused."""
    transfer = get_transfer(s, transfer_id)
    lock_draft(s, transfer, user_id=user_id)
    source = from_warehouse_id if from_warehouse_id is not None else transfer.from_warehouse_id
    destination = to_warehouse_id if to_warehouse_id is not None else transfer.to_warehouse_id
    _check_warehouses(s, source, destination)
    transfer.from_warehouse_id, transfer.to_warehouse_id = source, destination
    if reason is not None:
        transfer.reason = rules.check_reason(reason, required=False)
    if comment is not None:
        transfer.comment = comment
    if lines is not None:
        transfer.lines = _build_lines(s, lines)
    s.flush()
    return transfer


def post_transfer(s: Session, transfer_id: int, *, user_id: int | None) -> Transfer:
    """Move the goods: InsufficientStock (nothing written) if the source hasn't them free."""
    transfer = get_transfer(s, transfer_id)
    change_status(s, transfer, (rules.DRAFT,), rules.POSTED, user_id=user_id, action="post")
    moves = rules.transfer_moves(transfer.from_warehouse_id, transfer.to_warehouse_id, line_tuples(transfer))
    write_stock_moves(s, DocRef.of(transfer), transfer.doc_date, moves)
    return transfer


def unpost_transfer(s: Session, transfer_id: int, *, user_id: int | None) -> Transfer:
    """Move the goods back: refused (InsufficientStock) if they are no longer free at the destination."""
    transfer = get_transfer(s, transfer_id)
    change_status(s, transfer, (rules.POSTED,), rules.DRAFT, user_id=user_id, action="unpost")
    moves = rules.transfer_moves(
        transfer.from_warehouse_id, transfer.to_warehouse_id, line_tuples(transfer), reverse=True
    )
    write_stock_moves(s, DocRef.of(transfer), transfer.doc_date, moves, reversal=True)
    return transfer


def _check_warehouses(s: Session, from_warehouse_id: int, to_warehouse_id: int) -> None:
    rules.check_transfer_warehouses(from_warehouse_id, to_warehouse_id)
    get_active_warehouse(s, from_warehouse_id)
    get_active_warehouse(s, to_warehouse_id)


def _build_lines(s: Session, lines: Sequence[TransferLineInput]) -> list[TransferLine]:
    return [
        TransferLine(line_no=no, item_id=item_id, quantity=quantity)
        for no, (item_id, quantity) in enumerate(checked_quantities(s, lines), start=1)
    ]
