"""What every document page shares: the labels of statuses and actions, and the view of a
document and of a list as plain data (no ORM objects), so that a refused action can show the page
again after its savepoint was rolled back (documents_actions.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.documents.names import STATUS_NAMES
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

PREFIX = "/backoffice"
DOCUMENT_TEMPLATE = "backoffice/documents/document.html"
LIST_TEMPLATE = "backoffice/documents/list.html"

STATUS_LABELS = STATUS_NAMES  # Texts: the `t` filter shows them in the page's language
STATUS_STYLES = {
    "draft": "secondary",
    "cancelled": "dark",
    "closed": "dark",
    "posted": "success",
    "done": "success",
    "approved": "success",
    "confirmed": "success",
    "shipped": "success",
    "received": "success",
    "resolved": "success",
    "rejected": "dark",
}
# What cells.html needs to show a status.
STATUS_CONTEXT = {"status_labels": STATUS_LABELS, "status_styles": STATUS_STYLES}

# What the audit trail says was done (the `action` of an audit row).
AUDIT_ACTIONS = {
    "create": N_("created"),
    "update": N_("edited"),
    "post": N_("posted"),
    "unpost": N_("unposted"),
    "cancel": N_("cancelled"),
    "close": N_("closed"),
    "reopen": N_("reopened"),
    "submit": N_("submitted"),
    "take_for_moderation": N_("taken for moderation"),
    "approve": N_("approved"),
    "unapprove": N_("approval withdrawn"),
    "reject": N_("rejected"),
    "fulfilment": N_("fulfilment status changed"),
    "despatch": N_("despatched"),
    "receipt_posted": N_("goods receipt posted"),
    "receipt_unposted": N_("goods receipt unposted"),
    "take": N_("taken for review"),
    "resolve": N_("resolved"),
    "unresolve": N_("resolution withdrawn"),
}
AUDIT_DETAILS = {
    "reason": N_("reason"),
    "cause": N_("because of"),
    "sale": N_("sale"),
    "receipt": N_("goods receipt"),
    "fields": N_("fields"),
    "resolution": N_("resolution"),
    "note": N_("note"),
    "customer_return": N_("customer return"),
    "replacement_order": N_("replacement order"),
}
RESERVATION_REASONS = {
    "reserve": N_("reserved"),
    "release": N_("released"),
    "expire": N_("expired"),
    "consume": N_("shipped"),
}

# The notice a document page shows after a successful action (?notice=<action>).
ACTION_NOTICES = {
    "post": N_("The document is posted."),
    "unpost": N_("The document is unposted: it is a draft again."),
    "cancel": N_("The document is cancelled."),
    "close": N_("The document is closed."),
    "reopen": N_("The document is open again."),
    "submit": N_("The order is submitted."),
    "take": N_("The order is taken for moderation."),
    "approve": N_("The order is approved: free stock is reserved for it."),
    "unapprove": N_("The approval is withdrawn: the reservations are released."),
    "reject": N_("The order is rejected."),
}


@dataclass(frozen=True)
class Column:
    label: str
    # How values are shown: text | qty | money | date | datetime | status
    fmt: str = "text"

    @property
    def numeric(self) -> bool:
        return self.fmt in ("qty", "money")


@dataclass(frozen=True)
class Cell:
    """A value of a table or a header field; `href` makes it a link."""

    value: Any
    fmt: str = "text"
    href: str | None = None


@dataclass(frozen=True)
class HeaderField:
    label: str
    cell: Cell


@dataclass(frozen=True)
class Table:
    key: str  # the element id on the page
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    empty: str = N_("Nothing here.")


@dataclass(frozen=True)
class Action:
    """A button on a document page. POST actions send the CSRF token; `reason` adds a text field
    ("required" or "optional"); GET actions lead to a form (documents based on this one)."""

    key: str
    label: str
    path: str
    style: str = "outline-primary"
    method: str = "post"
    reason: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused, for the top of the document page."""

    title: str
    message: str
    shortages: Table | None = None


@dataclass
class DocumentView:
    kind: str
    title: str
    number: str
    status: str
    list_path: str
    list_title: str
    fields: list[HeaderField] = field(default_factory=list)
    lines: Table | None = None
    totals: list[HeaderField] = field(default_factory=list)
    related: list[HeaderField] = field(default_factory=list)
    registers: list[Table] = field(default_factory=list)
    audit: Table | None = None
    actions: list[Action] = field(default_factory=list)


def text(value: Any, href: str | None = None) -> Cell:
    return Cell("" if value is None else value, "text", href)


def qty(value: Any) -> Cell:
    return Cell(value, "qty")


def money(value: Any) -> Cell:
    return Cell(value, "money")


def status_cell(status: str) -> Cell:
    return Cell(status, "status")


def label_cell(value: str) -> Cell:
    """A marked constant, translated where it is shown."""
    return Cell(value, "label")


def docs_cell(docs: Sequence[tuple[str, str, str]]) -> Cell:
    """Several documents: (number, path, status) each."""
    return Cell(list(docs), "docs")


def header(label: str, value: Any, fmt: str = "text", href: str | None = None) -> HeaderField:
    """A field of the document's header; an empty value shows as a dash."""
    if value is None or value == "":
        return HeaderField(label, text("—"))
    return HeaderField(label, Cell(value, fmt, href))


def actions_allowed(user: SessionUser, permission: str, actions: list[Action]) -> list[Action]:
    """The buttons a user sees: none without the permission of the document type."""
    return actions if can(user.role, permission) else []


def show_document(request: Request, view: DocumentView) -> Response:
    notice = ACTION_NOTICES.get(request.query_params.get("notice") or "")
    context: dict[str, Any] = {**STATUS_CONTEXT, "doc": view, "refusal": None}
    if notice:
        context["notice"] = notice
    return render(request, DOCUMENT_TEMPLATE, context)


@dataclass
class ListView:
    title: str
    path: str
    columns: Sequence[Column]
    rows: list[tuple[str, Sequence[Cell]]]  # (document path, cells)
    statuses: Sequence[str]
    status: str
    paging: Paging
    new_path: str | None = None
    new_label: str = N_("New document")

    def status_options(self) -> list[tuple[str, str]]:
        return [(code, STATUS_LABELS.get(code, code)) for code in self.statuses]


def chosen_status(status: str | None, statuses: Sequence[str]) -> str | None:
    """The status filter of a list, if it is one of the document type's statuses."""
    return status if status in statuses else None


def show_list(request: Request, view: ListView) -> Response:
    return render(request, LIST_TEMPLATE, {**STATUS_CONTEXT, "listing": view})


# A document list declared as data ----------------------------------------------------------------


@dataclass(frozen=True)
class ListNames:
    """What a list's cells show besides the documents themselves, looked up once per page:
    warehouse and partner names, and other documents the rows refer to (by id)."""

    warehouses: Mapping[int, str]
    partners: Mapping[int, str] = field(default_factory=dict)
    documents: Mapping[int, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListColumn:
    column: Column
    cell: Callable[[Any, ListNames], Cell]  # (document, names) -> its cell


@dataclass(frozen=True)
class ListSpec:
    """A list page: `fetch(session, status=, limit=, offset=)` gives a page of documents and their
    count, `names(session, documents)` what the columns look up; a user whose role holds
    `permission` sees the button to <page>/new."""

    title: str
    page: str
    statuses: Sequence[str]
    fetch: Callable[..., tuple[Sequence[Any], int]]
    names: Callable[[Session, Sequence[Any]], ListNames]
    columns: Sequence[ListColumn]
    permission: str | None = None
    new_label: str = N_("New document")


def list_column(label: str, cell: Callable[[Any, ListNames], Cell], fmt: str = "text") -> ListColumn:
    return ListColumn(Column(label, fmt), cell)


def warehouse_column(label: str, attribute: str = "warehouse_id") -> ListColumn:
    return list_column(label, lambda d, names: text(names.warehouses.get(getattr(d, attribute))))


def partner_column(label: str) -> ListColumn:
    """The counterparty: dealer or supplier."""
    return list_column(label, lambda d, names: text(names.partners.get(d.partner_id)))


def money_total_column(amount: Callable[[Any], Any]) -> ListColumn:
    return list_column(N_("Total"), lambda d, _names: money(amount(d)), "money")


def qty_total_column(quantity: Callable[[Any], Any]) -> ListColumn:
    return list_column(N_("Total quantity"), lambda d, _names: qty(quantity(d)), "qty")


NUMBER = list_column(N_("Number"), lambda d, _names: text(d.number))
DATE = list_column(N_("Date"), lambda d, _names: Cell(d.doc_date, "date"))
WAREHOUSE = warehouse_column(N_("Warehouse"))
STATUS = list_column(N_("Status"), lambda d, _names: status_cell(d.status))
CURRENCY = list_column(N_("Currency"), lambda d, _names: text(d.currency))


def counterparty_columns(
    partner: str, amount: Callable[[Any], Any], extra: Sequence[ListColumn] = (), currency: bool = True
) -> tuple[ListColumn, ...]:
    """Number, date, the dealer or supplier (headed `partner`), `extra`, warehouse, status, total
    (and its currency): the columns of a list of documents with a counterparty."""
    first = (NUMBER, DATE, partner_column(partner), *extra, WAREHOUSE, STATUS, money_total_column(amount))
    return (*first, CURRENCY) if currency else first


def list_page(
    request: Request, s: Session, spec: ListSpec, user: SessionUser, status: str | None, page: int | None
) -> Response:
    """One page of the list, filtered by status when it is one of the document type's."""
    chosen, paging = chosen_status(status, spec.statuses), Paging.start(page)
    docs, total = spec.fetch(s, status=chosen, limit=paging.size, offset=paging.offset)
    names = spec.names(s, docs)
    rows = [(f"{PREFIX}{spec.page}/{d.id}", [c.cell(d, names) for c in spec.columns]) for d in docs]
    allowed = spec.permission is not None and can(user.role, spec.permission)
    view = ListView(
        spec.title,
        PREFIX + spec.page,
        [c.column for c in spec.columns],
        rows,
        spec.statuses,
        chosen or "",
        paging.with_total(total),
        f"{PREFIX}{spec.page}/new" if allowed else None,
        spec.new_label,
    )
    return show_list(request, view)
