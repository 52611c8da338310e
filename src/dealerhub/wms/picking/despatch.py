"""The despatch: packages leave the warehouse and DESPATCH tells the core what actually left.

An order may leave in parts: some packages now (DESPATCH final=false, the order part_shipped), the
rest later; the despatch that leaves nothing behind (no package waiting, nothing picked outside a
package) is the final one (final=true) and carries the shortages with their reasons. Each part
reports the order lines in its packages (picked = shipped = what those packages hold); the core
makes a sale per part (DESPATCH v1's `final`, docs/exchange.md).

Serial numbers: the machines of an order line leave in the order they were picked (the pick lines'
serials), as many per part as the part ships of that line.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import DespatchLine, DespatchV1, decimal_text
from dealerhub.exchange.contracts import Package as PackageOut
from dealerhub.exchange.contracts import PackageContent as ContentOut
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.errors import QuantityRefused, StateConflict
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.names import order_status_name
from dealerhub.wms.numbering import next_number
from dealerhub.wms.picking.models import Order, OrderLine, Package, PackageContent
from dealerhub.wms.picking.orders import get_order, order_lines, packing_bin
from dealerhub.wms.picking.packing import PackageInput, pack, unpacked, waiting_packages
from dealerhub.wms.stock.service import move_serials, take
from dealerhub.wms.tasks.models import Task, TaskLine

__all__ = ["NOT_IN_STOCK", "PackageInput", "despatch", "pack"]

ZERO = Decimal(0)
NOT_IN_STOCK = "not in stock on the warehouse"
DESPATCHABLE = ("picked", "packed", "part_shipped")


def despatch(s: Session, order_id: int, *, user_id: int, package_nos: list[str] | None = None) -> str:
    """Send packages of the order (`package_nos`; None: every package waiting): stock out of the
    packing zone, serials shipped, DESPATCH to the core, final when nothing is left behind. An order
    with nothing picked at all leaves with no package (a final DESPATCH of its shortages). Returns
    the despatch number."""
    order = get_order(s, order_id, lock=True)
    if order.status not in DESPATCHABLE:
        raise StateConflict(T("order %(order)s is %(status)s: only picked goods are despatched",
                              order=order.order_number, status=order_status_name(order.status)),
                            order=order.order_number)
    waiting = {p.package_no: p for p in waiting_packages(s, order.id)}
    chosen_nos = list(waiting) if package_nos is None else list(dict.fromkeys(package_nos))
    unknown = [x for x in chosen_nos if x not in waiting]
    if unknown:
        raise QuantityRefused(T("no package %(packages)s waits to leave with order %(order)s",
                                packages=", ".join(unknown), order=order.order_number))
    chosen = [waiting[x] for x in chosen_nos]
    left_unpacked = any(unpacked(s, order).values())
    if not chosen and waiting:
        raise QuantityRefused(T("choose the packages that leave now"))
    if not chosen and (left_unpacked or order.status == "part_shipped"):
        raise StateConflict(T("order %(order)s: pack the goods first; packages leave, loose goods don't",
                              order=order.order_number), order=order.order_number)
    final = not left_unpacked and len(chosen) == len(waiting)
    number = next_number(s, "DSP")
    now = clock.now()
    lines = order_lines(s, order.id)
    going = _going(s, chosen)
    bin_ = packing_bin(s, order)
    by_item: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_item[line.item_id] += going.get(line.id, ZERO)
    for item_id, quantity in by_item.items():
        if quantity > 0:
            take(s, bin_, item_id, "available", quantity, "despatch", document_number=number, user_id=user_id)
    _ship_serials(s, order, lines, going, bin_, number)
    for line in lines:
        line.shipped += going.get(line.id, ZERO)
    for package in chosen:
        package.despatch_number, package.despatched_at = number, now
    order.status = "shipped" if final else "part_shipped"
    order.despatch_number, order.shipped_at = number, now
    s.flush()
    _send(s, order, number, lines, going, chosen, final=final)
    return number


def _going(s: Session, packages: list[Package]) -> dict[int, Decimal]:
    """Order line id -> quantity in these packages."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    if packages:
        for content in s.scalars(select(PackageContent).where(PackageContent.package_id.in_([p.id for p in packages]))):
            out[content.order_line_id] += content.quantity
    return out


def _ship_serials(s: Session, order: Order, lines: list[OrderLine], going: dict[int, Decimal], bin_, number: str) -> None:
    serial_items = {i.id for i in s.scalars(select(Item).where(Item.id.in_({x.item_id for x in lines}),
                                                               Item.serial_tracked.is_(True)))}
    for line in lines:
        quantity = going.get(line.id, ZERO)
        if line.item_id not in serial_items or quantity <= 0:
            continue
        picked = [serial for pick in s.scalars(
            select(TaskLine).join(Task, Task.id == TaskLine.task_id)
            .where(Task.order_id == order.id, Task.kind == "pick", TaskLine.order_line_id == line.id)
            .order_by(TaskLine.id)) for serial in pick.serials]
        start = int(line.shipped)
        move_serials(s, bin_, None, line.item_id, picked[start:start + int(quantity)], shipped_in=number)


def _send(s: Session, order: Order, number: str, lines: list[OrderLine], going: dict[int, Decimal],
          packages: list[Package], *, final: bool) -> None:
    items = {i.id: i for i in s.scalars(select(Item).where(Item.id.in_({x.item_id for x in lines})))}
    package_out = []
    for p in packages:
        contents = s.scalars(select(PackageContent).where(PackageContent.package_id == p.id).order_by(PackageContent.id))
        package_out.append(PackageOut(
            package_no=p.package_no, weight_kg=decimal_text(p.weight_kg),
            length_mm=_mm(p.length_mm), width_mm=_mm(p.width_mm), height_mm=_mm(p.height_mm),
            contents=[ContentOut(item_code=items[c.item_id].code, quantity=decimal_text(c.quantity)) for c in contents],
        ))
    out = []
    for x in lines:
        shipped = going.get(x.id, ZERO)
        shortage = x.ordered - x.picked if final else ZERO
        if shipped > 0 or shortage > 0:
            out.append(DespatchLine(
                line_no=x.line_no, item_code=items[x.item_id].code, picked=decimal_text(shipped),
                shipped=decimal_text(shipped), shortage=decimal_text(shortage),
                shortage_reason=(x.shortage_reason or NOT_IN_STOCK) if shortage > 0 else None,
            ))
    payload = DespatchV1(order_number=order.order_number, despatch_number=number, final=final,
                         shipped_at=order.shipped_at, lines=out, packages=package_out)
    warehouse = s.get(Warehouse, order.warehouse_id)
    enqueue(s, payload, document_type="picking_task", document_number=order.order_number, warehouse_code=warehouse.code)


def _mm(value: int | None) -> str | None:
    return None if value is None else decimal_text(value, places=0)
