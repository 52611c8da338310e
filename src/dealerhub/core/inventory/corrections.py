"""Stock corrections: a surplus puts goods on stock, a write-off takes them off (free stock only).
Both say why. Posting writes the moves, unposting the opposite ones; drafts are editable."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.core.documents import change_status, new_document
from dealerhub.core.inventory import rules
from dealerhub.core.inventory.inputs import CorrectionLineInput
from dealerhub.core.inventory.lines import checked_quantities, line_tuples, lock_draft
from dealerhub.core.inventory.models import StockCorrection, StockCorrectionLine
from dealerhub.core.inventory.queries import get_active_warehouse, get_stock_correction
from dealerhub.core.stock import DocRef, write_stock_moves


def create_stock_correction(
    s: Session,
    *,
    user_id: int | None,
    warehouse_id: int,
    kind: str,
    reason: str,
    lines: Sequence[CorrectionLineInput],
    comment: str | None = None,
) -> StockCorrection:
    """A draft correction of `kind` ("surplus" or "write_off") on one warehouse."""
    kind, reason = rules.check_kind(kind), rules.check_reason(reason)
    get_active_warehouse(s, warehouse_id)
    new_lines = _build_lines(s, lines)
    correction = new_document(
        s, StockCorrection, user_id=user_id, warehouse_id=warehouse_id, kind=kind, reason=reason, comment=comment
    )
    correction.lines = new_lines
    s.flush()
    return correction


def update_stock_correction(
    s: Session,
    correction_id: int,
    *,
    user_id: int | None,
    lines: Sequence[CorrectionLineInput] | None = None,
    warehouse_id: int | None = None,
    kind: str | None = None,
    reason: str | None = None,
    comment: str | None = None,
) -> StockCorrection:
    """Edit a draft: given fields are replaced (lines as a whole); a posted correction is refused."""
    correction = get_stock_correction(s, correction_id)
    lock_draft(s, correction, user_id=user_id)
    if kind is not None:
        correction.kind = rules.check_kind(kind)
    if reason is not None:
        correction.reason = rules.check_reason(reason)
    if warehouse_id is not None:
        correction.warehouse_id = get_active_warehouse(s, warehouse_id).id
    if comment is not None:
        correction.comment = comment
    if lines is not None:
        correction.lines = _build_lines(s, lines)
    s.flush()
    return correction


def post_stock_correction(s: Session, correction_id: int, *, user_id: int | None) -> StockCorrection:
    """+q per line for a surplus, -q for a write-off (InsufficientStock if it isn't free)."""
    correction = get_stock_correction(s, correction_id)
    change_status(s, correction, (rules.DRAFT,), rules.POSTED, user_id=user_id, action="post")
    moves = rules.correction_moves(correction.kind, correction.warehouse_id, line_tuples(correction))
    write_stock_moves(s, DocRef.of(correction), correction.doc_date, moves)
    return correction


def unpost_stock_correction(s: Session, correction_id: int, *, user_id: int | None) -> StockCorrection:
    """Write the opposite moves and return the correction to draft (a surplus that is no longer
    free can't be taken back: InsufficientStock)."""
    correction = get_stock_correction(s, correction_id)
    change_status(s, correction, (rules.POSTED,), rules.DRAFT, user_id=user_id, action="unpost")
    moves = rules.correction_moves(correction.kind, correction.warehouse_id, line_tuples(correction), reverse=True)
    write_stock_moves(s, DocRef.of(correction), correction.doc_date, moves, reversal=True)
    return correction


def _build_lines(s: Session, lines: Sequence[CorrectionLineInput]) -> list[StockCorrectionLine]:
    return [
        StockCorrectionLine(line_no=no, item_id=item_id, quantity=quantity)
        for no, (item_id, quantity) in enumerate(checked_quantities(s, lines), start=1)
    ]
