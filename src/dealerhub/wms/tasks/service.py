"""Tasks: make them, give them to a storekeeper, take them, close them. Status changes are
conditional UPDATEs (open -> in_progress -> done | cancelled), so two storekeepers taking the same
task cannot both win."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.errors import StateConflict, WmsNotFound
from dealerhub.wms.numbering import next_number
from dealerhub.wms.staff.models import Storekeeper
from dealerhub.wms.tasks.models import OPEN_TASK, Task, TaskLine
from dealerhub.wms.tasks.names import task_status_name

_tasks = Task.__table__


def new_task(s: Session, warehouse_id: int, kind: str, **refs) -> Task:
    task = Task(number=next_number(s, "T"), warehouse_id=warehouse_id, kind=kind, status="open", **refs)
    s.add(task)
    s.flush()
    return task


def add_line(s: Session, task: Task, *, quantity: Decimal, item_id: int | None = None, **fields) -> TaskLine:
    seq = len(task_lines(s, task.id)) + 1
    line = TaskLine(task_id=task.id, seq=seq, item_id=item_id, quantity=quantity, done_quantity=Decimal(0),
                    status="open", **fields)
    s.add(line)
    s.flush()
    return line


def get_task(s: Session, task_id: int, *, lock: bool = False) -> Task:
    query = select(Task).where(Task.id == task_id)
    task = s.scalar(query.with_for_update() if lock else query)
    if task is None:
        raise WmsNotFound(T("no such task"), task_id=task_id)
    return task


def task_lines(s: Session, task_id: int) -> list[TaskLine]:
    return list(s.scalars(select(TaskLine).where(TaskLine.task_id == task_id).order_by(TaskLine.seq)))


def get_line(s: Session, line_id: int) -> TaskLine:
    line = s.scalar(select(TaskLine).where(TaskLine.id == line_id).with_for_update())
    if line is None:
        raise WmsNotFound(T("no such task line"), line_id=line_id)
    return line


def _change(s: Session, task: Task, allowed: tuple[str, ...], to: str, **values) -> None:
    result = s.execute(
        update(_tasks).where(_tasks.c.id == task.id, _tasks.c.status.in_(allowed)).values(status=to, **values)
    )
    if result.rowcount != 1:
        s.refresh(task)
        raise StateConflict(T("task %(task)s is %(status)s: it cannot become %(to)s", task=task.number,
                               status=task_status_name(task.status), to=task_status_name(to)), task=task.number)
    s.refresh(task)


def assign(s: Session, task_id: int, assignee_id: int | None) -> Task:
    """The supervisor gives an open task to a storekeeper, moves it from one to another (what was
    done on it stays done; the new one goes on from there), or puts it back in the pool (None: a
    task in progress becomes open again, for anyone to take)."""
    task = get_task(s, task_id, lock=True)
    if assignee_id is not None:
        keeper = s.get(Storekeeper, assignee_id)
        if keeper is None or not keeper.active:
            raise WmsNotFound(T("no such active storekeeper"), storekeeper=assignee_id)
    values: dict = {"assignee_id": assignee_id}
    if assignee_id is None:
        values["status"] = "open"
    result = s.execute(
        update(_tasks).where(_tasks.c.id == task.id, _tasks.c.status.in_(OPEN_TASK)).values(**values)
    )
    if result.rowcount != 1:
        raise StateConflict(T("task %(task)s is %(status)s: only open tasks are given", task=task.number,
                               status=task_status_name(task.status)), task=task.number)
    s.refresh(task)
    return task


def start(s: Session, task_id: int, user_id: int) -> Task:
    """A storekeeper takes the task (an unassigned one becomes theirs; someone else's is refused)."""
    task = get_task(s, task_id)
    if task.status == "in_progress" and task.assignee_id == user_id:
        return task
    if task.assignee_id not in (None, user_id):
        raise StateConflict(T("task %(task)s is given to another storekeeper", task=task.number), task=task.number)
    result = s.execute(
        update(_tasks)
        .where(_tasks.c.id == task.id, _tasks.c.status == "open",
               (_tasks.c.assignee_id.is_(None)) | (_tasks.c.assignee_id == user_id))
        .values(status="in_progress", assignee_id=user_id, started_at=clock.now())
    )
    if result.rowcount != 1:
        s.refresh(task)
        raise StateConflict(T("task %(task)s is %(status)s: someone else took it", task=task.number,
                               status=task_status_name(task.status)), task=task.number)
    s.refresh(task)
    return task


def finish_if_complete(s: Session, task: Task) -> bool:
    """Close the task when none of its lines is open; True if it was closed now."""
    if any(line.status == "open" for line in task_lines(s, task.id)):
        return False
    _change(s, task, OPEN_TASK, "done", finished_at=clock.now())
    return True


def cancel(s: Session, task: Task) -> None:
    for line in task_lines(s, task.id):
        if line.status == "open":
            line.status = "cancelled"
    _change(s, task, OPEN_TASK, "cancelled", finished_at=clock.now())


def open_tasks(s: Session, warehouse_id: int, *, kind: str | None = None, assignee_id: int | None = None) -> list[Task]:
    query = select(Task).where(Task.warehouse_id == warehouse_id, Task.status.in_(OPEN_TASK))
    if kind:
        query = query.where(Task.kind == kind)
    if assignee_id is not None:
        query = query.where(Task.assignee_id == assignee_id)
    return list(s.scalars(query.order_by(Task.id)))
