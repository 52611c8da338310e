"""DESPATCH: what the warehouse picked and shipped on a picking task.

What shipped becomes a posted sale (sales.record_despatch): the order lines' reservations are
consumed and the goods written off. A part (final=false) leaves the task posted for the next part;
the final one marks it done. Whatever was not shipped stays on the order, reserved, for a later
picking task. Shortages with their reasons and the packages are kept beside the sale.
Quantities that don't fit the task (an unknown line, another item, more than is left) refuse the
whole message: quantity_mismatch, nothing written.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.inbox.handlers.common import qty
from dealerhub.core.inbox.lookups import items_by_code, warehouse_by_code
from dealerhub.core.inbox.models import DespatchPackage, DespatchShortage
from dealerhub.core.sales import record_despatch
from dealerhub.core.sales.models import PickingTask, PickingTaskLine
from dealerhub.exchange.contracts import DespatchV1, ErrorCode, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage
from dealerhub.exchange.sidekit.outcomes import Reject


def handle(s: Session, message: InboundMessage) -> Done:
    p: DespatchV1 = message.payload  # type: ignore[assignment]
    task = s.scalar(select(PickingTask).where(PickingTask.number == p.order_number))
    if task is None:
        raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no picking task {p.order_number}")
    if message.envelope.warehouse_code is not None and warehouse_by_code(s, message.envelope.warehouse_code).id != task.warehouse_id:
        raise Reject(
            ErrorCode.UNKNOWN_WAREHOUSE,
            f"picking task {task.number} is not for warehouse {message.envelope.warehouse_code}",
        )
    if task.status != "posted":
        raise Reject(
            ErrorCode.UNKNOWN_DOCUMENT,
            f"picking task {task.number} is {task.status}: a despatch is taken for a posted task only",
        )
    items = items_by_code(
        s, [line.item_code for line in p.lines] + [c.item_code for pk in p.packages for c in pk.contents]
    )
    by_no = {line.line_no: line for line in task.lines}
    despatched: dict[int, Decimal] = {}
    shortages: list[tuple[PickingTaskLine, Decimal, str | None]] = []
    for line in p.lines:
        task_line = _task_line(task, by_no, line.line_no, items[line.item_code], line.item_code)
        picked, shipped, short = to_decimal(line.picked), to_decimal(line.shipped), to_decimal(line.shortage)
        if shipped > picked:
            raise Reject(
                ErrorCode.QUANTITY_MISMATCH,
                f"line {line.line_no}: shipped {qty(shipped)} is more than the {qty(picked)} picked",
            )
        despatched[task_line.id] = shipped
        if short > 0:
            shortages.append((task_line, short, line.shortage_reason))
    sale = record_despatch(
        s, task.id, user_id=None, despatched=despatched, final=p.final, comment=_comment(p, shortages)
    )
    for task_line, short, reason in shortages:
        s.add(
            DespatchShortage(
                message_id=message.envelope.message_id, picking_task_id=task.id, picking_task_line_id=task_line.id,
                item_id=task_line.item_id, quantity=short, reason=reason,
            )
        )
    for package in p.packages:
        s.add(
            DespatchPackage(
                message_id=message.envelope.message_id, picking_task_id=task.id, sale_id=sale.id if sale else None,
                despatch_number=p.despatch_number, package_no=package.package_no,
                weight_kg=to_decimal(package.weight_kg), length_mm=_mm(package.length_mm),
                width_mm=_mm(package.width_mm), height_mm=_mm(package.height_mm),
                contents=[c.model_dump() for c in package.contents],
            )
        )
    s.flush()
    state = "done" if p.final else "still picking"
    if sale is None:
        return Done("picking_task", task.number, f"nothing shipped; picking task {task.number} {state}")
    return Done("sale", sale.number, f"sale {sale.number} posted; picking task {task.number} {state}")


def _task_line(
    task: PickingTask, by_no: dict[int, PickingTaskLine], line_no: int, item_id: int, item_code: str
) -> PickingTaskLine:
    task_line = by_no.get(line_no)
    if task_line is None:
        raise Reject(ErrorCode.QUANTITY_MISMATCH, f"picking task {task.number} has no line {line_no}")
    if task_line.item_id != item_id:
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH,
            f"line {line_no} of picking task {task.number} is another item than {item_code}",
        )
    return task_line


def _comment(p: DespatchV1, shortages: list[tuple[PickingTaskLine, Decimal, str | None]]) -> str:
    text = f"WMS despatch {p.despatch_number}" + ("" if p.final else " (a part)")
    if shortages:
        text += "; short: " + "; ".join(
            f"line {line.line_no}: {qty(q)}" + (f" ({reason})" if reason else "") for line, q, reason in shortages
        )
    return text


def _mm(value: str | None) -> int | None:
    return None if value is None else int(value)
