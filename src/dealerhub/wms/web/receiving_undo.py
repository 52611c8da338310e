"""Taking back a miscounted quantity off the dock (before it was reported or put away): a count for
ordinary goods; for machines, the serial number of each one taken back, scanned one at a time."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.errors import StateConflict
from dealerhub.wms.receiving.acceptance import undo_scan
from dealerhub.wms.receiving.models import Receipt, ReceiptLine
from dealerhub.wms.receiving.serials import serials_of_line
from dealerhub.wms.web.errors import status_of
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.receiving import NOTICES, receipt_of
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentKeeper, DbSession, ReadDb

router = APIRouter()


def takeable(line: ReceiptLine) -> Decimal:
    """What of the line may still be taken back: neither reported nor put away."""
    return line.accepted - max(line.reported_accepted, line.putaway_planned)


def _line_of(s: Session, receipt: Receipt, line_id: int) -> ReceiptLine:
    line = s.get(ReceiptLine, line_id)
    if line is None or line.receipt_id != receipt.id:
        raise StateConflict(T("no such line on this acceptance"))
    return line


def _page(request: Request, s: Session, receipt: Receipt, line: ReceiptLine, *, error: str | None = None,
          status_code: int = 200) -> Response:
    item = s.get(Item, line.item_id)
    return render(request, "wms/undo.html", {
        "receipt": receipt, "line": line, "item": item, "item_name": item.name(request_language(request)),
        "takeable": takeable(line), "serials": serials_of_line(s, line.id), "error": error,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }, status_code=status_code)


@router.get("/receiving/{receipt_id}/lines/{line_id}/undo")
def undo_page(request: Request, receipt_id: int, line_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    receipt = receipt_of(s, receipt_id, keeper)
    return _page(request, s, receipt, _line_of(s, receipt, line_id))


@router.post("/receiving/{receipt_id}/lines/{line_id}/undo")
async def undo(request: Request, receipt_id: int, line_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    receipt = receipt_of(s, receipt_id, keeper)
    line = _line_of(s, receipt, line_id)
    serial_tracked = s.get(Item, line.item_id).serial_tracked
    try:
        with s.begin_nested():
            if serial_tracked:
                undo_scan(s, receipt.id, line.id, Decimal(1), user_id=keeper.id, serials=[text(form, "serial", 64)])
            else:
                undo_scan(s, receipt.id, line.id, quantity(form, "quantity"), user_id=keeper.id)
    except DomainError as error:
        return _page(request, s, receipt, line, error=error.message, status_code=status_of(error))
    base = request.scope.get("root_path", "")
    if serial_tracked and takeable(line) > 0:  # more machines may go back: the next serial
        return RedirectResponse(f"{base}/receiving/{receipt.id}/lines/{line.id}/undo?notice=taken_back",
                                status_code=303)
    return RedirectResponse(f"{base}/receiving/{receipt.id}?notice=taken_back", status_code=303)
