"""Packing the picked goods into packages (weight, size, contents) and the despatch: the goods leave
the warehouse and DESPATCH tells the core what actually left (and what was short, and why)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import DespatchLine, DespatchV1, decimal_text
from dealerhub.exchange.contracts import Package as PackageOut
from dealerhub.exchange.contracts import PackageContent as ContentOut
from dealerhub.shared import clock
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import item_by_code
from dealerhub.wms.errors import QuantityRefused, StateConflict
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.numbering import next_number
from dealerhub.wms.picking.models import Order, Package, PackageContent
from dealerhub.wms.picking.orders import get_order, order_lines, packing_bin
from dealerhub.wms.stock.service import move_serials, take
from dealerhub.wms.tasks.models import Task, TaskLine

ZERO = Decimal(0)
NOT_IN_STOCK = "not in stock on the warehouse"


@dataclass(frozen=True)
class PackageInput:
    weight_kg: Decimal
    contents: dict[str, Decimal]  # item code -> quantity
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    package_no: str | None = None
    extra: dict = field(default_factory=dict)


def pack(s: Session, order_id: int, packages: list[PackageInput], *, user_id: int) -> list[Package]:
    """Record the packages of a picked order; together they must hold exactly what was picked."""
    order = get_order(s, order_id, lock=True)
    if order.status != "picked":
        raise StateConflict(f"order {order.order_number} is {order.status}: only picked orders are packed")
    if not packages:
        raise QuantityRefused("an order is packed into at least one package")
    picked: dict[int, Decimal] = defaultdict(Decimal)
    for line in order_lines(s, order.id):
        picked[line.item_id] += line.picked
    packed: dict[int, Decimal] = defaultdict(Decimal)
    made = []
    for n, p in enumerate(packages, start=1):
        if p.weight_kg <= 0:
            raise QuantityRefused(f"package {n} needs its weight")
        package = Package(order_id=order.id, package_no=p.package_no or f"{order.order_number}-{n}",
                          weight_kg=p.weight_kg, length_mm=p.length_mm, width_mm=p.width_mm, height_mm=p.height_mm,
                          packed_by=user_id, packed_at=clock.now())
        s.add(package)
        s.flush()
        for code, quantity in p.contents.items():
            item = item_by_code(s, code)
            if quantity <= 0:
                raise QuantityRefused(f"package {n}: the quantity of {code} must be more than zero")
            s.add(PackageContent(package_id=package.id, item_id=item.id, quantity=quantity))
            packed[item.id] += quantity
        made.append(package)
    wrong = [i for i in set(picked) | set(packed) if picked.get(i, ZERO) != packed.get(i, ZERO)]
    if wrong:
        codes = ", ".join(sorted(s.get(Item, i).code for i in wrong))
        raise QuantityRefused(f"the packages must hold exactly what was picked; they differ for {codes}")
    order.status = "packed"
    s.flush()
    return made


def despatch(s: Session, order_id: int, *, user_id: int) -> str:
    """The packed order leaves: stock out of the packing zone, serials shipped, DESPATCH (final) to
    the core. Returns the despatch number."""
    order = get_order(s, order_id, lock=True)
    if order.status != "packed":
        raise StateConflict(f"order {order.order_number} is {order.status}: only packed orders are despatched")
    number = next_number(s, "DSP")
    bin_ = packing_bin(s, order)
    lines = order_lines(s, order.id)
    out: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        out[line.item_id] += line.picked
    for item_id, quantity in out.items():
        if quantity > 0:
            take(s, bin_, item_id, "available", quantity, "despatch", document_number=number, user_id=user_id)
    for pick in s.scalars(select(TaskLine).join(Task, Task.id == TaskLine.task_id)
                          .where(Task.order_id == order.id, Task.kind == "pick")):
        if pick.serials:
            move_serials(s, bin_, None, pick.item_id, list(pick.serials), shipped_in=number)
    order.status, order.despatch_number, order.shipped_at = "shipped", number, clock.now()
    s.flush()
    _send(s, order, number, lines)
    return number


def _send(s: Session, order: Order, number: str, lines) -> None:
    items = {i.id: i for i in s.scalars(select(Item).where(Item.id.in_({x.item_id for x in lines})))}
    packages = s.scalars(select(Package).where(Package.order_id == order.id).order_by(Package.id)).all()
    package_out = []
    for p in packages:
        contents = s.scalars(select(PackageContent).where(PackageContent.package_id == p.id).order_by(PackageContent.id))
        package_out.append(PackageOut(
            package_no=p.package_no, weight_kg=decimal_text(p.weight_kg),
            length_mm=_mm(p.length_mm), width_mm=_mm(p.width_mm), height_mm=_mm(p.height_mm),
            contents=[ContentOut(item_code=s.get(Item, c.item_id).code, quantity=decimal_text(c.quantity)) for c in contents],
        ))
    payload = DespatchV1(
        order_number=order.order_number, despatch_number=number, final=True, shipped_at=order.shipped_at,
        lines=[
            DespatchLine(
                line_no=x.line_no, item_code=items[x.item_id].code, picked=decimal_text(x.picked),
                shipped=decimal_text(x.picked), shortage=decimal_text(x.ordered - x.picked),
                shortage_reason=(x.shortage_reason or NOT_IN_STOCK) if x.ordered > x.picked else None,
            )
            for x in lines
            if x.ordered > 0 or x.picked > 0
        ],
        packages=package_out,
    )
    warehouse = s.get(Warehouse, order.warehouse_id)
    enqueue(s, payload, document_type="picking_task", document_number=order.order_number, warehouse_code=warehouse.code)


def _mm(value: int | None) -> str | None:
    return None if value is None else decimal_text(value, places=0)
