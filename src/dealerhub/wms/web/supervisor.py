"""The supervisor's page: open tasks by kind and person, acceptances with discrepancies, stock by bin
(filtered by zone and item) and the REMAINS snapshot on request."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from dealerhub.shared.errors import DomainError
from dealerhub.web.i18n import N_
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.service import item_by_code
from dealerhub.wms.counts.queries import open_counts
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.receiving.queries import discrepancies
from dealerhub.wms.remains.service import last_snapshot_at, send_remains
from dealerhub.wms.staff.service import active_storekeepers
from dealerhub.wms.stock.queries import stock_by_bin
from dealerhub.wms.tasks.queries import open_tasks_by_kind_and_person
from dealerhub.wms.tasks.service import open_tasks
from dealerhub.wms.web import queries
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentSupervisor, DbSession, ReadDb
from dealerhub.wms.web.tasks import KIND_TITLES

router = APIRouter()

DISCREPANCY_TITLES = {
    "unannounced": N_("unannounced"), "damaged": N_("damaged"), "rejected": N_("rejected"),
    "short": N_("short"), "over": N_("over"), "no_asn": N_("no ASN"),
}
PAGE_ROWS = 200
# Open tasks listed for giving out, oldest first.
GIVE_ROWS = 100
NOTICES = {
    "remains": N_("The REMAINS snapshot is queued for the accounting system."),
    "given": N_("The task is given."),
    "count_started": N_("The count is started: its task waits for a storekeeper."),
    "recount": N_("Lines beyond the threshold are to be counted again: a recount task is made."),
    "count_closed": N_("The count is closed: stock corrected, INVENTORY sent to the accounting system."),
}


@router.get("/supervisor")
def supervisor_page(request: Request, keeper: CurrentSupervisor, s: ReadDb, zone: str = "", item: str = "",
                    page: int = 1) -> Response:
    warehouse = s.get(Warehouse, keeper.warehouse_id)
    zones = queries.zones(s, warehouse.id)
    zone_id = next((z.id for z in zones if z.code == zone), None)
    item_error = None
    item_id = None
    if item.strip():
        try:
            item_id = item_by_code(s, item.strip()).id
        except DomainError as error:
            item_error = error.message
    page = max(page, 1)
    rows = [] if item_error else stock_by_bin(s, warehouse.id, zone_id=zone_id, item_id=item_id,
                                              limit=PAGE_ROWS + 1, offset=(page - 1) * PAGE_ROWS)
    # Item names in the reader's language (the stock query gives the first one the core sent).
    lang = request_language(request)
    names = {i.code: i.name(lang) for i in s.scalars(select(Item).where(Item.code.in_({r.item_code for r in rows})))}
    return render(request, "wms/supervisor.html", {
        "warehouse": warehouse, "open_tasks": open_tasks_by_kind_and_person(s, warehouse.id),
        "kind_titles": KIND_TITLES, "discrepancies": discrepancies(s, warehouse.id),
        "discrepancy_titles": DISCREPANCY_TITLES, "zones": zones, "zone": zone, "item": item.strip(),
        "item_error": item_error, "stock": rows[:PAGE_ROWS], "names": names, "page": page, "more": len(rows) > PAGE_ROWS,
        "last_snapshot": last_snapshot_at(s, warehouse.id),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "give_tasks": _give_tasks(s, warehouse.id), "keepers": active_storekeepers(s),
        "counts": open_counts(s, warehouse.id),
        "threshold": request.app.state.settings.wms_recount_threshold_percent,
    })


def _give_tasks(s, warehouse_id: int) -> list[tuple]:
    """(task summary, assignee id) of the oldest open tasks."""
    tasks = open_tasks(s, warehouse_id)[:GIVE_ROWS]
    return [(x, t.assignee_id) for x, t in zip(queries.summaries(s, tasks, 0), tasks, strict=True)]


@router.post("/supervisor/remains")
def remains(request: Request, keeper: CurrentSupervisor, s: DbSession) -> Response:
    warehouse = s.get(Warehouse, keeper.warehouse_id)
    send_remains(s, warehouse, part_rows=request.app.state.settings.wms_remains_part_rows)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/supervisor?notice=remains", status_code=303)
