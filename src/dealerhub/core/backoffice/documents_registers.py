"""Read-only queries of the document pages: the names they show (items in the user's language,
warehouses, partners, users, other documents' numbers), the register moves a document wrote, its
audit trail, and the shortages of a refused posting."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import audit, stock
from dealerhub.core.accounts.models import User
from dealerhub.core.backoffice.documents_common import (
    AUDIT_ACTIONS,
    AUDIT_DETAILS,
    RESERVATION_REASONS,
    Cell,
    Column,
    ListNames,
    Table,
    label_cell,
    money,
    qty,
    text,
)
from dealerhub.core.catalog import item_name
from dealerhub.core.catalog.models import Item
from dealerhub.core.inventory.models import StockCorrection, Transfer
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.purchasing.models import GoodsReceipt, SupplierOrder
from dealerhub.core.sales.models import CustomerOrder, CustomerReturn, PickingTask, Sale
from dealerhub.core.stock.models import Reservation, ReservationMove
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.db import fetch_page
from dealerhub.web.i18n import N_

# Where each document type's pages live, and its table (for numbers in register and audit rows).
DOCUMENT_PAGES: dict[str, tuple[type, str]] = {
    "customer_order": (CustomerOrder, "/backoffice/sales/orders"),
    "picking_task": (PickingTask, "/backoffice/sales/picking-tasks"),
    "sale": (Sale, "/backoffice/sales/sales"),
    "customer_return": (CustomerReturn, "/backoffice/sales/returns"),
    "supplier_order": (SupplierOrder, "/backoffice/purchasing/orders"),
    "goods_receipt": (GoodsReceipt, "/backoffice/purchasing/receipts"),
    "stock_correction": (StockCorrection, "/backoffice/inventory/corrections"),
    "transfer": (Transfer, "/backoffice/inventory/transfers"),
}
MOVE_LIMIT = 1000


@dataclass(frozen=True)
class ItemLabel:
    article: str
    name: str


def item_labels(s: Session, item_ids: Iterable[int], lang: str) -> dict[int, ItemLabel]:
    ids = set(item_ids)
    if not ids:
        return {}
    items = s.scalars(select(Item).where(Item.id.in_(ids)))
    return {it.id: ItemLabel(it.article, item_name(it, lang)) for it in items}


def item_cells(labels: dict[int, ItemLabel], item_id: int) -> list[Cell]:
    """Article (a link to the item) and name."""
    label = labels.get(item_id, ItemLabel(str(item_id), ""))
    return [text(label.article, f"/backoffice/catalog/items/{item_id}"), text(label.name)]


def warehouse_names(s: Session) -> dict[int, str]:
    return {w.id: f"{w.code} · {w.name}" for w in s.scalars(select(Warehouse))}


def partner_names(s: Session, partner_ids: Iterable[int]) -> dict[int, str]:
    ids = set(partner_ids)
    if not ids:
        return {}
    return dict(s.execute(select(Partner.id, Partner.name).where(Partner.id.in_(ids))).all())


def list_names(s: Session, docs: Sequence[Any]) -> ListNames:
    """For a list of documents with a partner: warehouse names and the partners' names."""
    return ListNames(warehouse_names(s), partner_names(s, (d.partner_id for d in docs)))


def warehouse_list_names(s: Session, _docs: Sequence[Any]) -> ListNames:
    return ListNames(warehouse_names(s))


def lines_table(
    s: Session,
    lines: Sequence[Any],
    lang: str,
    columns: Sequence[Column],
    cells: Callable[[Any], Sequence[Cell]],
) -> Table:
    """A document's lines: number, item article and name, then `columns` with a line's `cells`."""
    labels = item_labels(s, (ln.item_id for ln in lines), lang)
    rows = [[text(ln.line_no), *item_cells(labels, ln.item_id), *cells(ln)] for ln in lines]
    heads = [Column("#"), Column(N_("Article")), Column(N_("Name")), *columns]
    return Table("document-lines", N_("Lines"), heads, rows)


# Quantity, price and amount: the line columns of the documents with prices.
PRICED_COLUMNS = (Column(N_("Quantity"), "qty"), Column(N_("Price"), "money"), Column(N_("Amount"), "money"))


def priced_cells(line: Any) -> list[Cell]:
    return [qty(line.quantity), money(line.price), money(line.amount)]


def contractor_name(s: Session, contractor_id: int) -> str:
    contractor = s.get(Contractor, contractor_id)
    return (
        f"{contractor.name} ({contractor.inn})"
        if contractor and contractor.inn
        else getattr(contractor, "name", "")
    )


def user_names(s: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {uid for uid in user_ids if uid is not None}
    if not ids:
        return {}
    return dict(s.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def document_path(doc_type: str, doc_id: int) -> str | None:
    page = DOCUMENT_PAGES.get(doc_type)
    return f"{page[1]}/{doc_id}" if page else None


def document_cells(s: Session, refs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Cell]:
    """A linked number for each (document type, id); other sources (an opening balance) by name."""
    wanted: dict[str, set[int]] = {}
    for doc_type, doc_id in refs:
        wanted.setdefault(doc_type, set()).add(doc_id)
    cells: dict[tuple[str, int], Cell] = {}
    for doc_type, ids in wanted.items():
        page = DOCUMENT_PAGES.get(doc_type)
        if page is None:
            cells.update({(doc_type, i): text(f"{doc_type} #{i}") for i in ids})
            continue
        model = page[0]
        for doc_id, number in s.execute(select(model.id, model.number).where(model.id.in_(ids))):
            cells[(doc_type, doc_id)] = text(number, f"{page[1]}/{doc_id}")
    return cells


def related_cell(s: Session, doc_type: str, doc_id: int | None) -> Cell:
    if doc_id is None:
        return text("—")
    return document_cells(s, [(doc_type, doc_id)]).get((doc_type, doc_id), text(f"#{doc_id}"))


def stock_move_table(s: Session, doc_type: str, doc_id: int, lang: str) -> Table:
    """The stock moves the document wrote, oldest first."""
    moves = list(reversed(stock.list_moves(s, document_type=doc_type, document_id=doc_id, limit=MOVE_LIMIT)))
    labels = item_labels(s, (m.item_id for m in moves), lang)
    names = warehouse_names(s)
    rows = [
        [
            Cell(m.occurred_at, "datetime"),
            *item_cells(labels, m.item_id),
            text(names.get(m.warehouse_id, m.warehouse_id)),
            qty(m.quantity),
            label_cell(N_("reversal")) if m.is_reversal else text(""),
        ]
        for m in moves
    ]
    columns = [
        Column(N_("Time (UTC)")),
        Column(N_("Article")),
        Column(N_("Name")),
        Column(N_("Warehouse")),
        Column(N_("Quantity"), "qty"),
        Column(""),
    ]
    return Table("stock-moves", N_("Stock moves"), columns, rows, N_("No stock moves."))


def reservation_move_table(
    s: Session,
    lang: str,
    *,
    doc_type: str | None = None,
    doc_id: int | None = None,
    holder_order_id: int | None = None,
) -> Table:
    """Reservation moves written by a document, or (for a customer order) of the reservations its
    lines hold, whichever document wrote them."""
    query = select(ReservationMove).order_by(ReservationMove.id).limit(MOVE_LIMIT)
    if holder_order_id is not None:
        query = query.join(Reservation, Reservation.id == ReservationMove.reservation_id).where(
            Reservation.holder_type == "customer_order", Reservation.holder_id == holder_order_id
        )
    else:
        query = query.where(ReservationMove.document_type == doc_type, ReservationMove.document_id == doc_id)
    moves = list(s.scalars(query))
    labels = item_labels(s, (m.item_id for m in moves), lang)
    names = warehouse_names(s)
    docs = document_cells(s, ((m.document_type, m.document_id) for m in moves))
    rows = [
        [
            Cell(m.occurred_at, "datetime"),
            *item_cells(labels, m.item_id),
            text(names.get(m.warehouse_id, m.warehouse_id)),
            qty(m.quantity),
            label_cell(RESERVATION_REASONS.get(m.reason, m.reason)),
            docs.get((m.document_type, m.document_id), text("")),
        ]
        for m in moves
    ]
    columns = [
        Column(N_("Time (UTC)")),
        Column(N_("Article")),
        Column(N_("Name")),
        Column(N_("Warehouse")),
        Column(N_("Quantity"), "qty"),
        Column(N_("Operation")),
        Column(N_("Document")),
    ]
    return Table("reservation-moves", N_("Reservation moves"), columns, rows, N_("No reservation moves."))


def audit_table(s: Session, doc_type: str, doc_id: int) -> Table:
    """Who did what to the document, when, and from which status to which."""
    records = audit.list_for(s, doc_type, doc_id)
    users = user_names(s, (r.user_id for r in records))
    rows = [
        [
            Cell(r.occurred_at, "datetime"),
            text(users.get(r.user_id, "—") if r.user_id else "—"),
            label_cell(AUDIT_ACTIONS.get(r.action, r.action)),
            Cell(r.from_status, "status") if r.from_status else text("—"),
            Cell(r.to_status, "status") if r.to_status else text("—"),
            Cell(_details(r.details or {}), "details"),
        ]
        for r in records
    ]
    columns = [
        Column(N_("Time (UTC)")),
        Column(N_("Who")),
        Column(N_("Action")),
        Column(N_("From")),
        Column(N_("To")),
        Column(N_("Details")),
    ]
    return Table("audit-trail", N_("Audit trail"), columns, rows, N_("No records."))


def _details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """(translatable key, value) pairs of an audit row's details."""
    shown = []
    for key, value in details.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append((AUDIT_DETAILS.get(key, key), str(value)))
    return shown


def shortage_table(s: Session, shortages: Sequence[stock.Shortage], lang: str) -> Table:
    """What was short, item by item, for the message of a refused posting."""
    labels = item_labels(s, (sh.item_id for sh in shortages), lang)
    names = warehouse_names(s)
    rows = [
        [
            *item_cells(labels, sh.item_id),
            text(names.get(sh.warehouse_id, sh.warehouse_id)),
            qty(sh.requested),
            qty(sh.free),
        ]
        for sh in shortages
    ]
    columns = [
        Column(N_("Article")),
        Column(N_("Name")),
        Column(N_("Warehouse")),
        Column(N_("Needed"), "qty"),
        Column(N_("Free"), "qty"),
    ]
    return Table("shortages", N_("What is short"), columns, rows)


def page_of(s: Session, model: type, *, status: str | None, limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of a document type, newest first, optionally in one status (for the types whose
    area lists them only per parent document)."""
    query = select(model)
    if status is not None:
        query = query.where(model.status == status)
    return fetch_page(s, query, order_by=model.id.desc(), limit=limit, offset=offset)
