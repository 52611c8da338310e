"""Packing the picked goods of an order into packages, one at a time: each package has its weight
(and size) and holds quantities of the order's lines; together the packages never hold more of a
line than was picked. The order is packed once everything picked is in packages; a package that
has not left yet can be taken apart again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_code
from dealerhub.wms.errors import QuantityRefused, StateConflict
from dealerhub.wms.names import listed, order_status_name
from dealerhub.wms.picking.models import Order, OrderLine, Package, PackageContent
from dealerhub.wms.picking.orders import get_order, order_lines

ZERO = Decimal(0)
# Orders whose picked goods can be packed (packed: a package more is refused for holding too much;
# part_shipped: some packages have left already).
PACKABLE = ("picked", "packed", "part_shipped")


@dataclass(frozen=True)
class PackageInput:
    weight_kg: Decimal
    # What the package holds: by item code (spread over the order's lines of that item in line
    # order) and/or by order line number.
    contents: dict[str, Decimal] = field(default_factory=dict)
    lines: dict[int, Decimal] = field(default_factory=dict)
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    package_no: str | None = None


def packed_by_line(s: Session, order_id: int) -> dict[int, Decimal]:
    """Order line id -> quantity in the order's packages (left or not)."""
    rows = s.execute(
        select(PackageContent.order_line_id, func.sum(PackageContent.quantity))
        .join(Package, Package.id == PackageContent.package_id)
        .where(Package.order_id == order_id).group_by(PackageContent.order_line_id)
    )
    return {line_id: Decimal(total) for line_id, total in rows}


def unpacked(s: Session, order: Order) -> dict[int, Decimal]:
    """Order line id -> picked and not yet in a package."""
    packed = packed_by_line(s, order.id)
    return {x.id: x.picked - packed.get(x.id, ZERO) for x in order_lines(s, order.id)}


def add_package(s: Session, order_id: int, p: PackageInput, *, user_id: int) -> Package:
    """One more package of the order. Refused (nothing written): no weight, nothing in it, more of a
    line than is picked and not yet packed, a package number the order has already."""
    order = get_order(s, order_id, lock=True)
    if order.status not in PACKABLE:
        raise StateConflict(T("order %(order)s is %(status)s: only picked goods are packed",
                              order=order.order_number, status=order_status_name(order.status)),
                            order=order.order_number)
    if p.weight_kg <= 0:
        raise QuantityRefused(T("a package needs its weight"))
    check_quantity(p.weight_kg, 3, what="weight")
    for size in (p.length_mm, p.width_mm, p.height_mm):
        if size is not None and not 0 < size < 1_000_000:
            raise QuantityRefused(T("a package's size is in whole millimetres, more than 0: not %(size)s", size=size))
    lines = order_lines(s, order.id)
    free = unpacked(s, order)
    wanted = _by_line(s, lines, free, p)
    if not any(q > 0 for q in wanted.values()):
        raise QuantityRefused(T("a package holds at least one item"))
    over = [x for x in lines if wanted.get(x.id, ZERO) > free[x.id]]
    if over:
        raise QuantityRefused(T("more than is picked and not yet packed: %(lines)s", lines=listed([
            T("line %(line)s (%(item)s) has %(left)s left",
              line=x.line_no, item=s.get(Item, x.item_id).code, left=f"{free[x.id].normalize():f}") for x in over])))
    count = s.scalar(select(func.count()).select_from(Package).where(Package.order_id == order.id)) or 0
    number = (p.package_no or "").strip() or f"{order.order_number}-{count + 1}"
    if s.scalar(select(Package.id).where(Package.order_id == order.id, Package.package_no == number)):
        raise StateConflict(T("order %(order)s has a package %(package)s already", order=order.order_number, package=number),
                            package=number)
    package = Package(order_id=order.id, package_no=number, weight_kg=p.weight_kg, length_mm=p.length_mm,
                      width_mm=p.width_mm, height_mm=p.height_mm, packed_by=user_id, packed_at=clock.now())
    s.add(package)
    s.flush()
    for line in lines:
        if wanted.get(line.id, ZERO) > 0:
            s.add(PackageContent(package_id=package.id, item_id=line.item_id, order_line_id=line.id,
                                 quantity=wanted[line.id]))
    s.flush()
    _update_status(s, order)
    return package


def _by_line(s: Session, lines: list[OrderLine], free: dict[int, Decimal], p: PackageInput) -> dict[int, Decimal]:
    by_no = {x.line_no: x for x in lines}
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line_no, quantity in p.lines.items():
        line = by_no.get(line_no)
        if line is None:
            raise QuantityRefused(T("the order has no line %(line)s", line=line_no))
        wanted[line.id] += _positive(s, line.item_id, quantity)
    for code, quantity in p.contents.items():
        item = item_by_code(s, code)
        rest = _positive(s, item.id, quantity)
        mine = [x for x in lines if x.item_id == item.id]
        if not mine:
            raise QuantityRefused(T("the order has no item %(item)s", item=code))
        for line in mine:
            take = min(rest, max(free[line.id] - wanted[line.id], ZERO))
            wanted[line.id] += take
            rest -= take
        wanted[mine[-1].id] += rest  # more than is left: refused below, naming the line
    return wanted


def _positive(s: Session, item_id: int, quantity: Decimal) -> Decimal:
    return check_quantity(quantity, s.get(Item, item_id).unit_decimals)


def remove_package(s: Session, order_id: int, package_no: str, *, user_id: int) -> None:
    """Take apart a package that has not left: its goods are unpacked again."""
    order = get_order(s, order_id, lock=True)
    package = s.scalar(select(Package).where(Package.order_id == order.id, Package.package_no == package_no))
    if package is None:
        raise QuantityRefused(T("order %(order)s has no package %(package)s", order=order.order_number, package=package_no))
    if package.despatch_number is not None:
        raise StateConflict(T("package %(package)s has left in %(despatch)s", package=package_no,
                              despatch=package.despatch_number), package=package_no)
    s.execute(delete(PackageContent).where(PackageContent.package_id == package.id))
    s.delete(package)
    s.flush()
    if order.status == "packed":
        order.status = "picked"
    s.flush()


def pack(s: Session, order_id: int, packages: list[PackageInput], *, user_id: int) -> list[Package]:
    """Pack a picked order in one go: the packages together must hold exactly what was picked."""
    order = get_order(s, order_id, lock=True)
    if order.status != "picked":
        raise StateConflict(T("order %(order)s is %(status)s: only picked orders are packed",
                              order=order.order_number, status=order_status_name(order.status)))
    if not packages:
        raise QuantityRefused(T("an order is packed into at least one package"))
    made = [add_package(s, order.id, p, user_id=user_id) for p in packages]
    left = [x for x, q in unpacked(s, order).items() if q]
    if left:
        codes = ", ".join(sorted({s.get(Item, s.get(OrderLine, x).item_id).code for x in left}))
        raise QuantityRefused(T("the packages must hold exactly what was picked; they differ for %(items)s", items=codes))
    return made


def _update_status(s: Session, order: Order) -> None:
    """picked -> packed once nothing picked is outside a package."""
    if order.status == "picked" and not any(unpacked(s, order).values()):
        order.status = "packed"
    s.flush()


def waiting_packages(s: Session, order_id: int) -> list[Package]:
    """Packages of the order still in the packing zone."""
    return list(s.scalars(select(Package).where(Package.order_id == order_id, Package.despatch_number.is_(None))
                          .order_by(Package.id)))
