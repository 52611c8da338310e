"""My tasks and the task screen: the next step in walking order and one scan field.

Each scan moves the step on: the state so far (the bin and item already scanned) travels in the
form, so a refused scan changes nothing and the storekeeper simply scans again. What each kind asks:
  pick           bin -> item -> quantity (when more than one) or serial numbers -> confirm_pick
  replenishment  source bin -> item -> target bin -> confirm_move (the whole line)
  putaway        item -> target bin (suggested shown) -> confirm_move (the whole line)
  count          bin -> item -> counted quantity -> record_count; "bin done" -> mark_bin_counted
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dealerhub.shared.errors import DomainError, PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.i18n import N_
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.counts.service import mark_bin_counted, record_count, zone_status
from dealerhub.wms.errors import QuantityRefused, StateConflict, WrongScan
from dealerhub.wms.layout.service import bin_by_barcode
from dealerhub.wms.picking.picks import confirm_pick, report_shortage
from dealerhub.wms.putaway.service import confirm_move
from dealerhub.wms.tasks.models import OPEN_TASK, Task
from dealerhub.wms.tasks.names import task_kind_name
from dealerhub.wms.tasks.queries import Step, my_tasks, task_steps
from dealerhub.wms.tasks.service import get_task
from dealerhub.wms.web import queries
from dealerhub.wms.web.errors import status_of
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentKeeper, DbSession, Keeper, ReadDb

router = APIRouter()

KIND_TITLES = {
    "receiving": N_("Receiving goods"),
    "putaway": N_("Putting away"),
    "pick": N_("Picking goods"),
    "replenishment": N_("Replenishing"),
    "count": N_("Counting"),
}
PROMPTS = {
    "bin": N_("Scan the bin"),
    "item": N_("Scan the item"),
    "quantity": N_("Enter the quantity"),
    "serial": N_("Scan the serial number"),
    "target": N_("Scan the bin you put it in"),
    "counted": N_("Enter the quantity found"),
}
NOTICES = {
    "picked": N_("Picked."),
    "short": N_("Shortage reported."),
    "moved": N_("Put in the bin."),
    "counted": N_("Counted."),
    "bin_done": N_("Bin finished."),
    "task_done": N_("The task is finished."),
}
# What a count asks of the goods found: good, damaged (defect) or held in quarantine.
FOUND_STATUSES = (("available", N_("good")), ("defect", N_("damaged")), ("quarantine", N_("quarantine")))
SHORTAGE_REASONS = (N_("not in the bin"), N_("less in the bin"), N_("damaged"))
_FIRST_STAGE = {"pick": "bin", "replenishment": "bin", "count": "bin", "putaway": "item"}


@dataclass(frozen=True)
class ScanState:
    line_id: int
    stage: str
    bin: str = ""
    item: str = ""


def _task_of(s: Session, task_id: int, keeper: Keeper, *, acting: bool) -> Task:
    """The task, if it is on the storekeeper's warehouse and theirs (or nobody's yet); a supervisor
    may look at anyone's task but acts only on their own."""
    task = get_task(s, task_id)
    if task.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this task is on another warehouse"))
    if task.assignee_id not in (None, keeper.id) and (acting or not keeper.is_supervisor):
        raise PermissionDenied(T("task %(task)s is given to another storekeeper", task=task.number))
    return task


def _current(steps: list[Step], line_id: int | None) -> Step | None:
    open_steps = [x for x in steps if x.status == "open"]
    return next((x for x in open_steps if x.line_id == line_id), open_steps[0] if open_steps else None)


def _task_page(request: Request, s: Session, task: Task, keeper: Keeper, state: ScanState | None = None, *,
               error: str | None = None, status_code: int = 200) -> Response:
    steps = task_steps(s, task.id, request_language(request))
    step = _current(steps, state.line_id if state else None)
    if step is not None and (state is None or state.line_id != step.line_id):
        state = ScanState(step.line_id, _FIRST_STAGE[task.kind])
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return render(request, "wms/task.html", {
        "task": task, "kind_title": KIND_TITLES[task.kind], "steps": steps, "step": step, "state": state,
        "prompt": PROMPTS[state.stage] if state else None, "error": error, "notice": notice,
        "reasons": SHORTAGE_REASONS, "acting": task.assignee_id in (None, keeper.id) and task.status in OPEN_TASK,
        "remaining": (step.quantity - step.done_quantity) if step else None,
        "found_as": _found_as(s, task, state), "found_statuses": FOUND_STATUSES,
    }, status_code=status_code)


def _found_as(s: Session, task: Task, state: ScanState | None) -> str | None:
    """On a count's quantity step: the status the goods found are given unless the storekeeper
    says otherwise (the bin's zone's)."""
    if task.kind != "count" or state is None or state.stage != "counted":
        return None
    return zone_status(s, bin_by_barcode(s, task.warehouse_id, state.bin))


@router.get("/tasks")
def my_task_list(request: Request, keeper: CurrentKeeper, s: ReadDb) -> Response:
    tasks = queries.summaries(s, my_tasks(s, keeper.id, keeper.warehouse_id), keeper.id)
    return render(request, "wms/tasks.html", {
        "tasks": tasks, "kind_titles": KIND_TITLES, "asns": queries.open_asns(s, keeper.warehouse_id),
        "acceptances": queries.open_acceptances(s, keeper.warehouse_id),
        "orders": queries.orders_to_pack(s, keeper.warehouse_id),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    })


@router.get("/tasks/{task_id}")
def task_screen(request: Request, task_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    return _task_page(request, s, _task_of(s, task_id, keeper, acting=False), keeper)


@router.post("/tasks/{task_id}/scan")
async def scan(request: Request, task_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    task = _task_of(s, task_id, keeper, acting=True)
    step = _current(task_steps(s, task.id), _int(text(form, "line_id", 20)))
    if step is None or task.status not in OPEN_TASK:
        raise StateConflict(T("task %(task)s has nothing left to do", task=task.number))
    state = ScanState(step.line_id, text(form, "stage", 16) or _FIRST_STAGE[task.kind],
                      text(form, "bin", 64), text(form, "item", 64))
    try:
        with s.begin_nested():
            outcome = _advance(s, task, step, state, form, keeper)
    except DomainError as error:
        return _task_page(request, s, task, keeper, state, error=error.message, status_code=status_of(error))
    if isinstance(outcome, ScanState):
        return _task_page(request, s, task, keeper, outcome)
    s.refresh(task)
    base = request.scope.get("root_path", "")
    if task.status not in OPEN_TASK:
        return RedirectResponse(f"{base}/tasks?notice=task_done", status_code=303)
    return RedirectResponse(f"{base}/tasks/{task.id}?notice={outcome}", status_code=303)


def _advance(s: Session, task: Task, step: Step, state: ScanState, form: FormData, keeper: Keeper) -> ScanState | str:
    """One scan: the next state, or the notice of what was confirmed."""
    code = text(form, "code", 64)
    if state.stage not in ("quantity", "counted") and not code:
        raise WrongScan(T("nothing was scanned"))
    kind = task.kind
    if state.stage == "bin":
        if code != step.from_bin:
            raise WrongScan(T("wrong bin %(scanned)s: go to bin %(bin)s", scanned=code, bin=step.from_bin))
        return replace(state, stage="item", bin=code)
    if state.stage == "item":
        item = item_by_barcode(s, code)
        if kind != "count" and item.code != step.item_code:
            raise WrongScan(T("wrong item %(scanned)s: take %(item)s", scanned=item.code, item=step.item_code))
        remaining = step.quantity - step.done_quantity
        if kind == "count":
            return replace(state, stage="counted", item=code)
        if kind == "pick":
            if step.serial_tracked:
                return replace(state, stage="serial", item=code)
            if remaining > 1:
                return replace(state, stage="quantity", item=code)
            confirm_pick(s, step.line_id, bin_barcode=state.bin, item_barcode=code, quantity=remaining,
                         user_id=keeper.id)
            return "picked"
        return replace(state, stage="target", item=code)
    if state.stage == "quantity" and kind == "pick":
        confirm_pick(s, step.line_id, bin_barcode=state.bin, item_barcode=state.item,
                     quantity=quantity(form, "quantity"), user_id=keeper.id)
        return "picked"
    if state.stage == "serial" and kind == "pick":
        confirm_pick(s, step.line_id, bin_barcode=state.bin, item_barcode=state.item, quantity=Decimal(1),
                     user_id=keeper.id, serials=[code])
        return "picked"
    if state.stage == "target" and kind in ("putaway", "replenishment"):
        confirm_move(s, step.line_id, code, user_id=keeper.id,
                     from_barcode=state.bin if kind == "replenishment" else None)
        return "moved"
    if state.stage == "counted" and kind == "count":
        record_count(s, task.count_id, bin_barcode=state.bin, item_barcode=state.item,
                     counted=quantity(form, "quantity", allow_zero=True), user_id=keeper.id,
                     status=text(form, "status", 16) or None)
        return replace(state, stage="item", item="")
    raise QuantityRefused(T("the scan does not fit this step: start the step again"))


@router.post("/tasks/{task_id}/short")
async def shortage(request: Request, task_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    task = _task_of(s, task_id, keeper, acting=True)
    if task.kind != "pick":
        raise StateConflict(T("task %(task)s is %(kind)s: only picking tasks are reported short",
                               task=task.number, kind=task_kind_name(task.kind)))
    step = _current(task_steps(s, task.id), _int(text(form, "line_id", 20)))
    if step is None:
        raise StateConflict(T("task %(task)s has nothing left to do", task=task.number))
    reason = text(form, "other", 500) or text(form, "reason", 500)
    try:
        with s.begin_nested():
            result = report_shortage(s, step.line_id, reason=reason, user_id=keeper.id)
    except DomainError as error:
        return _task_page(request, s, task, keeper, error=error.message, status_code=status_of(error))
    base = request.scope.get("root_path", "")
    if result.task_done:
        return RedirectResponse(f"{base}/tasks?notice=task_done", status_code=303)
    return RedirectResponse(f"{base}/tasks/{task.id}?notice=short", status_code=303)


@router.post("/tasks/{task_id}/bin-done")
async def bin_done(request: Request, task_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    task = _task_of(s, task_id, keeper, acting=True)
    if task.kind != "count":
        raise StateConflict(T("task %(task)s is %(kind)s, not a count task", task=task.number, kind=task_kind_name(task.kind)))
    mark_bin_counted(s, task.count_id, text(form, "bin", 64), user_id=keeper.id)
    s.refresh(task)
    base = request.scope.get("root_path", "")
    if task.status not in OPEN_TASK:
        return RedirectResponse(f"{base}/tasks?notice=task_done", status_code=303)
    return RedirectResponse(f"{base}/tasks/{task.id}?notice=bin_done", status_code=303)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None
