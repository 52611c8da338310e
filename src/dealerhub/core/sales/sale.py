"""Sales: the shipment to the dealer of what was actually despatched on a posted picking task.

Posting consumes the order lines' reservations, writes the goods off the warehouse and debits the
dealer's contractor by the sale's total (settlements); unposting writes the opposite moves and
reserves the goods for the order again. Moves, reversals included,
carry the sale's date. A posted sale is never
edited: unpost it, cancel the draft, and make a new one from the picking task.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import bonus, settlements
from dealerhub.core.documents import InvalidDocument, change_status, new_document
from dealerhub.core.documents.names import status_name
from dealerhub.core.sales.errors import DespatchExceedsPicked, PickingTaskHasSale, SaleHasReturns
from dealerhub.core.sales.fulfilment import refresh_fulfilment_status, require_status
from dealerhub.core.sales.models import CustomerOrder, PickingTask, Sale, SaleLine
from dealerhub.core.sales.queries import (
    get_picking_task,
    get_sale,
    lock_order,
    returned_by_sale_line,
    unit_precision_of,
)
from dealerhub.core.sales.reservations import release_line, reserve_exactly
from dealerhub.core.sales.rules import FULFILMENT, PICKABLE, despatch_problem, fits_unit, line_money, show
from dealerhub.core.stock import DocRef, Move, write_stock_moves
from dealerhub.shared.texts import T


def create_sale(
    s: Session, picking_task_id: int, *, user_id: int | None, despatched: Mapping[int, Decimal] | None = None
) -> Sale:
    """A draft sale of what was despatched: picking task line id -> quantity (default: all picked).
    Lines left out of `despatched` were not despatched."""
    task = get_picking_task(s, picking_task_id)
    order = lock_order(s, task.customer_order_id)
    s.refresh(task, ["status"])
    require_status(task, ("posted",), "a sale")
    _require_no_open_sale(s, task)
    quantities = _despatched_quantities(s, task, despatched)
    return new_document(
        s,
        Sale,
        user_id=user_id,
        customer_order_id=order.id,
        picking_task_id=task.id,
        partner_id=order.partner_id,
        contractor_id=order.contractor_id,
        warehouse_id=task.warehouse_id,
        currency=order.currency,
        lines=sale_lines(order, task, quantities),
    )


def post_sale(s: Session, sale_id: int, *, user_id: int | None, close_task: bool = True) -> Sale:
    """Ship: the reservations of the order lines are consumed and the goods written off; the
    picking task is done (unless `close_task` is False: a part of a despatch in several parts, see
    despatch.py) and the order partially shipped or shipped."""
    sale = get_sale(s, sale_id)
    order = lock_order(s, sale.customer_order_id)
    require_status(order, PICKABLE, "posting a sale")
    change_status(s, sale, ("draft",), "posted", user_id=user_id, action="post")
    if sale.picking_task_id is not None and close_task:
        task = get_picking_task(s, sale.picking_task_id)
        change_status(s, task, ("posted",), "done", user_id=user_id, action="despatch", sale=sale.number)
    doc = DocRef.of(sale)
    for line in _by_item(sale):
        release_line(
            s,
            order_id=order.id,
            line_id=line.order_line_id,
            quantity=line.quantity,
            doc=doc,
            reason="consume",
        )
    moves = [Move(ln.item_id, sale.warehouse_id, -ln.quantity, ln.id) for ln in sale.lines]
    write_stock_moves(s, doc, sale.doc_date, moves)
    total = sum((ln.amount for ln in sale.lines), Decimal(0))
    settlements.record_debit(s, settlements.SettlementDoc.of(sale), total, sale.doc_date)
    refresh_fulfilment_status(s, order, user_id=user_id, cause=sale.number)
    bonus.after_sale(s, sale, user_id=user_id)  # a closed period's accrual follows the posted sales
    return sale


def unpost_sale(s: Session, sale_id: int, *, user_id: int | None) -> Sale:
    """Reverse the shipment: goods back on the warehouse and reserved for the order again; the
    picking task is open again and the order's status follows what is still shipped."""
    sale = get_sale(s, sale_id)
    order = lock_order(s, sale.customer_order_id)
    require_status(order, FULFILMENT, "unposting a sale")
    if returned_by_sale_line(s, sale.id):
        raise SaleHasReturns(
            T("goods of sale %(number)s came back on a posted return: unpost it first", number=sale.number),
            number=sale.number,
        )
    change_status(s, sale, ("posted",), "draft", user_id=user_id, action="unpost")
    doc = DocRef.of(sale)
    moves = [Move(ln.item_id, sale.warehouse_id, ln.quantity, ln.id) for ln in sale.lines]
    write_stock_moves(s, doc, sale.doc_date, moves, reversal=True)
    settlements.reverse_document(s, Sale.doc_type, sale.id)
    for line in _by_item(sale):
        reserve_exactly(
            s,
            order_id=order.id,
            line_id=line.order_line_id,
            item_id=line.item_id,
            warehouse_id=sale.warehouse_id,
            quantity=line.quantity,
            doc=doc,
        )
    if sale.picking_task_id is not None:
        task = get_picking_task(s, sale.picking_task_id)
        # A part of a despatch in several parts may be unposted while its task is still posted.
        if task.status == "done":
            change_status(s, task, ("done",), "posted", user_id=user_id, action="reopen", sale=sale.number)
    refresh_fulfilment_status(s, order, user_id=user_id, cause=sale.number)
    bonus.after_sale(s, sale, user_id=user_id)  # a correcting entry if its period is closed
    return sale


def cancel_sale(s: Session, sale_id: int, *, user_id: int | None) -> Sale:
    """Drop a draft sale (its picking task stays posted, ready for a corrected sale)."""
    sale = get_sale(s, sale_id)
    lock_order(s, sale.customer_order_id)
    change_status(s, sale, ("draft",), "cancelled", user_id=user_id, action="cancel")
    return sale


def sale_lines(order: CustomerOrder, task: PickingTask, quantities: Mapping[int, Decimal]) -> list[SaleLine]:
    """A line per despatched picking line, priced as its order line (VAT inside the price)."""
    order_lines = {line.id: line for line in order.lines}
    lines: list[SaleLine] = []
    for task_line in task.lines:
        quantity = quantities.get(task_line.id)
        if not quantity:
            continue
        order_line = order_lines[task_line.order_line_id]
        money = line_money(quantity, order_line.price, order_line.vat_rate)
        lines.append(
            SaleLine(
                line_no=len(lines) + 1,
                order_line_id=order_line.id,
                picking_task_line_id=task_line.id,
                item_id=task_line.item_id,
                quantity=quantity,
                price=order_line.price,
                amount=money.amount,
                vat_rate=order_line.vat_rate,
                vat_amount=money.vat_amount,
            )
        )
    return lines


def _by_item(sale: Sale) -> list[SaleLine]:
    return sorted(sale.lines, key=lambda line: (line.item_id, line.id))


def _require_no_open_sale(s: Session, task: PickingTask) -> None:
    existing = s.scalar(
        select(Sale).where(Sale.picking_task_id == task.id, Sale.status.in_(("draft", "posted"))).limit(1)
    )
    if existing is not None:
        raise PickingTaskHasSale(
            T(
                "picking task %(task)s already has sale %(sale)s («%(status)s»)",
                task=task.number, sale=existing.number, status=status_name(existing.status),
            ),
            number=task.number,
        )


def _despatched_quantities(
    s: Session, task: PickingTask, despatched: Mapping[int, Decimal] | None
) -> dict[int, Decimal]:
    lines = {line.id: line for line in task.lines}
    if despatched is None:
        return {line_id: line.quantity for line_id, line in lines.items()}
    unknown = set(despatched) - set(lines)
    if unknown:
        raise InvalidDocument(
            T("some of the lines are not lines of picking task %(number)s", number=task.number), number=task.number
        )
    precision = unit_precision_of(s, [line.item_id for line in lines.values()])
    quantities = {}
    for line_id, quantity in despatched.items():
        line, quantity = lines[line_id], Decimal(quantity)
        if quantity < 0:
            raise InvalidDocument(
                T(
                    "line %(line)s: despatched quantity %(quantity)s is negative",
                    line=line.line_no, quantity=show(quantity),
                ),
                line=line.line_no,
            )
        problem = despatch_problem(line.quantity, quantity)
        if problem:
            raise DespatchExceedsPicked(T("line %(line)s: %(problem)s", line=line.line_no, problem=problem), line=line.line_no)
        if not fits_unit(quantity, precision[line.item_id]):
            raise InvalidDocument(
                T("line %(line)s: %(quantity)s does not fit the item's unit", line=line.line_no, quantity=show(quantity)),
                line=line.line_no,
            )
        if quantity > 0:
            quantities[line_id] = quantity
    if not quantities:
        raise InvalidDocument(
            T("nothing of picking task %(number)s was despatched", number=task.number), number=task.number
        )
    return quantities
