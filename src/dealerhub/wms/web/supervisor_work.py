"""The supervisor's work on tasks and counts: give an open task to a storekeeper (or take it from
one to another, or back to the pool); start a count by zone or by item; close a count's round, which
sends the lines beyond the threshold to a recount (a new count task) or closes the count
(corrections and INVENTORY); one count's lines with the book."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from dealerhub.shared.errors import PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.service import item_by_code
from dealerhub.wms.counts.queries import count_rows
from dealerhub.wms.counts.service import finish_round, get_count, start_count
from dealerhub.wms.errors import QuantityRefused
from dealerhub.wms.layout.models import Zone
from dealerhub.wms.tasks.service import assign, get_task
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.rendering import render
from dealerhub.wms.web.session import CurrentSupervisor, DbSession, ReadDb

router = APIRouter()


def _back(request: Request, notice: str, anchor: str) -> RedirectResponse:
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/supervisor?notice={notice}#{anchor}", status_code=303)


@router.post("/supervisor/tasks/{task_id}/give")
async def give_task(request: Request, task_id: int, keeper: CurrentSupervisor, s: DbSession) -> Response:
    form = await form_of(request)
    task = get_task(s, task_id)
    if task.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this task is on another warehouse"))
    raw = text(form, "assignee", 20)
    if raw and not raw.isdigit():
        raise QuantityRefused(T("choose a storekeeper"))
    assign(s, task.id, int(raw) if raw else None)
    return _back(request, "given", "give-tasks")


@router.post("/supervisor/counts")
async def new_count(request: Request, keeper: CurrentSupervisor, s: DbSession) -> Response:
    form = await form_of(request)
    zone_code, item_code = text(form, "zone", 16), text(form, "item", 64)
    zone_id = item_id = None
    if zone_code:
        zone_id = s.scalar(select(Zone.id).where(Zone.warehouse_id == keeper.warehouse_id, Zone.code == zone_code))
        if zone_id is None:
            raise QuantityRefused(T("no zone %(zone)s on this warehouse", zone=zone_code))
    if item_code:
        item_id = item_by_code(s, item_code).id
    threshold = quantity(form, "threshold", Decimal(request.app.state.settings.wms_recount_threshold_percent),
                         allow_zero=True)
    if threshold > 100 or threshold != threshold.quantize(Decimal("0.01")):
        raise QuantityRefused(T("the recount threshold is a percentage from 0 to 100 (0.01 at most), not %(threshold)s",
                                 threshold=threshold))
    start_count(s, keeper.warehouse_id, zone_id=zone_id, item_id=item_id, threshold_percent=threshold,
                user_id=keeper.id)
    return _back(request, "count_started", "counts")


@router.post("/supervisor/counts/{count_id}/finish-round")
def close_round(request: Request, count_id: int, keeper: CurrentSupervisor, s: DbSession) -> Response:
    count = get_count(s, count_id)
    if count.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this count is on another warehouse"))
    count = finish_round(s, count.id, user_id=keeper.id)
    return _back(request, "recount" if count.status == "recount" else "count_closed", "counts")


@router.get("/supervisor/counts/{count_id}")
def count_page(request: Request, count_id: int, keeper: CurrentSupervisor, s: ReadDb) -> Response:
    count = get_count(s, count_id)
    if count.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this count is on another warehouse"))
    return render(request, "wms/count.html", {"count": count, "rows": count_rows(s, count.id)})
