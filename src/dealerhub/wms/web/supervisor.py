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
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.receiving.queries import discrepancies
from dealerhub.wms.remains.service import last_snapshot_at, send_remains
from dealerhub.wms.stock.queries import stock_by_bin
from dealerhub.wms.tasks.queries import open_tasks_by_kind_and_person
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
        "notice": N_("The REMAINS snapshot is queued for the accounting system.")
        if request.query_params.get("notice") == "remains" else None,
    })


@router.post("/supervisor/remains")
def remains(request: Request, keeper: CurrentSupervisor, s: DbSession) -> Response:
    warehouse = s.get(Warehouse, keeper.warehouse_id)
    send_remains(s, warehouse, part_rows=request.app.state.settings.wms_remains_part_rows)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/supervisor?notice=remains", status_code=303)
