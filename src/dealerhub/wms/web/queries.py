"""What the WMS pages list besides tasks' steps: task summaries, orders waiting to be packed or
despatched, ASNs open for receiving, zones for the filters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dealerhub.wms.layout.models import Zone
from dealerhub.wms.picking.models import Order
from dealerhub.wms.receiving.models import Asn, Receipt
from dealerhub.wms.tasks.models import Task, TaskLine


@dataclass(frozen=True)
class TaskSummary:
    id: int
    number: str
    kind: str
    status: str
    zone: str | None
    order_number: str | None
    lines: int
    open_lines: int
    mine: bool


def summaries(s: Session, tasks: list[Task], user_id: int) -> list[TaskSummary]:
    if not tasks:
        return []
    ids = [t.id for t in tasks]
    counts = {
        task_id: (total, open_)
        for task_id, total, open_ in s.execute(
            select(TaskLine.task_id, func.count(), func.sum(case((TaskLine.status == "open", 1), else_=0)))
            .where(TaskLine.task_id.in_(ids)).group_by(TaskLine.task_id)
        )
    }
    zones = dict(s.execute(select(Zone.id, Zone.code).where(Zone.id.in_({t.zone_id for t in tasks if t.zone_id}))).all())
    orders = dict(s.execute(select(Order.id, Order.order_number)
                            .where(Order.id.in_({t.order_id for t in tasks if t.order_id}))).all())
    return [
        TaskSummary(t.id, t.number, t.kind, t.status, zones.get(t.zone_id), orders.get(t.order_id),
                    counts.get(t.id, (0, 0))[0], int(counts.get(t.id, (0, 0))[1] or 0), t.assignee_id == user_id)
        for t in tasks
    ]


def orders_to_pack(s: Session, warehouse_id: int) -> list[Order]:
    """Picked orders (to pack), packed ones (to despatch) and those partly shipped, oldest first."""
    return list(s.scalars(select(Order).where(Order.warehouse_id == warehouse_id, Order.status.in_(("picked", "packed", "part_shipped")))
                          .order_by(Order.id)))


def open_asns(s: Session, warehouse_id: int) -> list[Asn]:
    return list(s.scalars(select(Asn).where(Asn.warehouse_id == warehouse_id, Asn.status.in_(("expected", "receiving")))
                          .order_by(Asn.expected_date, Asn.id)))


def open_acceptances(s: Session, warehouse_id: int) -> list[tuple[Receipt, str | None]]:
    return [(r, number) for r, number in s.execute(
        select(Receipt, Asn.asn_number).outerjoin(Asn, Asn.id == Receipt.asn_id)
        .where(Receipt.warehouse_id == warehouse_id, Receipt.status == "open").order_by(Receipt.id))]


def zones(s: Session, warehouse_id: int) -> list[Zone]:
    return list(s.scalars(select(Zone).where(Zone.warehouse_id == warehouse_id).order_by(Zone.route_order, Zone.id)))
