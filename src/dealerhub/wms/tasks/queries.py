"""What the task pages read: a storekeeper's tasks, one task's steps in walking order, and the
supervisor's count of open tasks by kind and person."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from dealerhub.wms.catalog.models import Item
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.staff.models import Storekeeper
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine


@dataclass(frozen=True)
class Step:
    line_id: int
    seq: int
    status: str
    from_bin: str | None
    to_bin: str | None
    item_code: str | None
    item_name: str | None
    quantity: Decimal
    done_quantity: Decimal
    serial_tracked: bool


def my_tasks(s: Session, user_id: int, warehouse_id: int) -> list[Task]:
    """Open tasks given to the storekeeper, then unassigned ones anyone may take (oldest first)."""
    return list(s.scalars(
        select(Task)
        .where(Task.warehouse_id == warehouse_id, Task.status.in_(OPEN_TASK),
               or_(Task.assignee_id == user_id, Task.assignee_id.is_(None)))
        .order_by(Task.assignee_id.is_(None), Task.id)
    ))


def task_steps(s: Session, task_id: int, language: str = "ru") -> list[Step]:
    """The task's lines in walking order (the source bin's route order)."""
    src, dst = aliased(Bin), aliased(Bin)
    rows = s.execute(
        select(TaskLine, src.barcode, dst.barcode, Item.code, Item.names, Item.serial_tracked, src.route_order)
        .outerjoin(src, src.id == TaskLine.from_bin_id)
        .outerjoin(dst, dst.id == TaskLine.to_bin_id)
        .outerjoin(Item, Item.id == TaskLine.item_id)
        .where(TaskLine.task_id == task_id)
        .order_by(src.route_order, TaskLine.seq)
    ).all()
    return [
        Step(line.id, line.seq, line.status, from_bin, to_bin, code,
             (names or {}).get(language) or next(iter((names or {}).values()), code), line.quantity,
             line.done_quantity, bool(serial))
        for line, from_bin, to_bin, code, names, serial, _route in rows
    ]


def open_tasks_by_kind_and_person(s: Session, warehouse_id: int) -> list[tuple[str, str | None, int]]:
    """(task kind, storekeeper's name or None for unassigned, how many open)."""
    rows = s.execute(
        select(Task.kind, Storekeeper.name, func.count())
        .outerjoin(Storekeeper, Storekeeper.id == Task.assignee_id)
        .where(Task.warehouse_id == warehouse_id, Task.status.in_(OPEN_TASK))
        .group_by(Task.kind, Storekeeper.name)
        .order_by(Task.kind, Storekeeper.name.is_(None), Storekeeper.name)
    )
    return [(kind, name, count) for kind, name, count in rows]
