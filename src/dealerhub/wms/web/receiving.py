"""Receiving against an ASN on the phone: open an acceptance (one per supplier invoice), scan item
barcodes with a count and the goods' condition, send a part, finish (short / over / damaged are the
WMS's to work out), then put away what lies on the dock."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared.errors import DomainError, PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.i18n import N_
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.errors import QuantityRefused
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.putaway.service import plan_receipt_putaway
from dealerhub.wms.receiving.acceptance import (
    CONDITIONS,
    finish,
    get_receipt,
    receipt_lines,
    scan_item,
    send_part,
    start_receipt,
)
from dealerhub.wms.receiving.asns import asn_lines
from dealerhub.wms.receiving.models import Asn, Receipt, ReceiptLine
from dealerhub.wms.receiving.serials import serials_of_line
from dealerhub.wms.web.errors import status_of
from dealerhub.wms.web.forms import form_of, quantity, text
from dealerhub.wms.web.rendering import render, request_language
from dealerhub.wms.web.session import CurrentKeeper, DbSession, Keeper, ReadDb

router = APIRouter()

CONDITION_TITLES = {"good": N_("good"), "damaged": N_("damaged"), "rejected": N_("rejected")}
NOTICES = {
    "opened": N_("The acceptance is open: scan the goods."),
    "part_sent": N_("The part is reported to the accounting system."),
    "nothing_new": N_("Nothing new to report."),
    "finished": N_("The acceptance is finished: put the goods away."),
    "taken_back": N_("Taken back off the dock."),
}


def receipt_of(s: Session, receipt_id: int, keeper: Keeper) -> Receipt:
    receipt = get_receipt(s, receipt_id)
    if receipt.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("this acceptance is on another warehouse"))
    return receipt


def _page(request: Request, s: Session, receipt: Receipt, *, error: str | None = None, scanned=None,
          values: dict | None = None, serial: dict | None = None, status_code: int = 200) -> Response:
    lang = request_language(request)
    asn = s.get(Asn, receipt.asn_id) if receipt.asn_id else None
    names = {}
    expected = []
    if asn is not None:
        got: dict[int, Decimal] = {}
        for number, accepted, rejected in s.execute(
            select(ReceiptLine.asn_line_no, ReceiptLine.accepted, ReceiptLine.rejected)
            .join(Receipt, Receipt.id == ReceiptLine.receipt_id).where(Receipt.asn_id == asn.id)
        ):
            got[number] = got.get(number, Decimal(0)) + accepted + rejected
        for line in asn_lines(s, asn.id):
            item = s.get(Item, line.item_id)
            expected.append((line.line_no, item.code, item.name(lang), line.expected, got.get(line.line_no, Decimal(0))))
    lines = receipt_lines(s, receipt.id)
    for line in lines:
        item = s.get(Item, line.item_id)
        names[line.id] = (item.code, item.name(lang))
    return render(request, "wms/receipt.html", {
        "receipt": receipt, "asn": asn, "expected": expected, "lines": lines, "names": names,
        "conditions": [(c, CONDITION_TITLES[c]) for c in CONDITIONS], "scanned": scanned, "error": error,
        "values": values or {}, "notice": NOTICES.get(request.query_params.get("notice", "")), "serial": serial,
        "serials": {line.id: serials_of_line(s, line.id) for line in lines},
    }, status_code=status_code)


@router.get("/receiving/asns/{asn_id}")
def asn_page(request: Request, asn_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    asn = s.get(Asn, asn_id)
    if asn is None or asn.warehouse_id != keeper.warehouse_id:
        raise PermissionDenied(T("no such ASN on your warehouse"))
    lang = request_language(request)
    lines = [(x.line_no, s.get(Item, x.item_id), x.expected) for x in asn_lines(s, asn.id)]
    receipts = list(s.scalars(select(Receipt).where(Receipt.asn_id == asn.id).order_by(Receipt.id)))
    return render(request, "wms/asn.html", {"asn": asn, "lines": [(n, i.code, i.name(lang), q) for n, i, q in lines],
                                            "receipts": receipts})


@router.post("/receiving/start")
async def start(request: Request, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    warehouse = s.get(Warehouse, keeper.warehouse_id)
    receipt = start_receipt(s, warehouse, asn_number=text(form, "asn_number", 64) or None,
                            supplier_invoice=text(form, "supplier_invoice", 64) or None, user_id=keeper.id)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/receiving/{receipt.id}?notice=opened", status_code=303)


@router.get("/receiving/{receipt_id}")
def receipt_page(request: Request, receipt_id: int, keeper: CurrentKeeper, s: ReadDb) -> Response:
    return _page(request, s, receipt_of(s, receipt_id, keeper))


@router.post("/receiving/{receipt_id}/scan")
async def scan(request: Request, receipt_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    """A scan of an item with its count and condition. A serial-tracked item that is taken in asks
    for each unit's serial number next: every serial scanned accepts that one unit (so a refused
    serial loses nothing already scanned), until the count is reached."""
    form = await form_of(request)
    receipt = receipt_of(s, receipt_id, keeper)
    values = {"condition": text(form, "condition", 16) or "good"}
    code = text(form, "code", 64)
    try:
        with s.begin_nested():
            if text(form, "stage", 16) == "serial":
                pending = _pending(form, code, values["condition"])
                scanned = scan_item(s, receipt.id, code, condition=values["condition"],
                                    serials=[text(form, "serial", 64)], user_id=keeper.id)
                left = pending["left"] - 1
                if left:
                    return _page(request, s, receipt, scanned=scanned, values=values,
                                 serial={**pending, "left": left, "done": pending["done"] + 1})
                return _page(request, s, receipt, scanned=scanned, values=values)
            count = quantity(form, "quantity", Decimal(1))
            item = item_by_barcode(s, code)
            if item.serial_tracked and values["condition"] != "rejected":
                check_quantity(count, 0, what="number of machines")
                return _page(request, s, receipt, values=values, serial={
                    "code": code, "item_code": item.code, "item_name": item.name(request_language(request)),
                    "left": int(count), "done": 0, "total": int(count)})
            scanned = scan_item(s, receipt.id, code, quantity=count, condition=values["condition"],
                                comment=text(form, "comment", 500) or None, user_id=keeper.id)
    except DomainError as error:
        serial = None
        if text(form, "stage", 16) == "serial":
            try:
                serial = _pending(form, code, values["condition"])
            except DomainError:
                serial = None
        return _page(request, s, receipt, error=error.message, values=values, serial=serial,
                     status_code=status_of(error))
    return _page(request, s, receipt, scanned=scanned, values=values)


def _pending(form, code: str, condition: str) -> dict:
    """The serial-number step as the form carried it: the item scanned and how many are left."""
    numbers = [text(form, name, 8) for name in ("left", "done", "total")]
    if not all(x.isdigit() for x in numbers) or int(numbers[0]) < 1 or not code:
        raise QuantityRefused(T("the scan does not fit this step: scan the item again"))
    left, done, total = (int(x) for x in numbers)
    return {"code": code, "item_code": text(form, "item_code", 64), "item_name": text(form, "item_name", 500),
            "left": left, "done": done, "total": total, "condition": condition}


@router.post("/receiving/{receipt_id}/part")
def part(request: Request, receipt_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    receipt = receipt_of(s, receipt_id, keeper)
    sent = send_part(s, receipt.id)
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/receiving/{receipt.id}?notice={'part_sent' if sent else 'nothing_new'}",
                            status_code=303)


@router.post("/receiving/{receipt_id}/finish")
async def finish_receipt(request: Request, receipt_id: int, keeper: CurrentKeeper, s: DbSession) -> Response:
    form = await form_of(request)
    receipt = receipt_of(s, receipt_id, keeper)
    finish(s, receipt.id, closes_asn=form.get("closes_asn") == "on")
    task = plan_receipt_putaway(s, receipt.id)
    base = request.scope.get("root_path", "")
    if task is None:
        return RedirectResponse(f"{base}/tasks?notice=task_done", status_code=303)
    return RedirectResponse(f"{base}/tasks/{task.id}", status_code=303)
