"""The document forms: their header fields as data, lines entered by item article (or code), the
choices of legal entities, and a refusal of the use case shown beside the field or line it names.

Line rows are the fields line_<n>_article, line_<n>_quantity, line_<n>_price (and a hidden
line_<n>_link: the supplier-order line a goods-receipt line fulfils). Blank rows are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.backoffice.documents_common import PREFIX
from dealerhub.core.catalog import normalize_article
from dealerhub.core.catalog.models import Item
from dealerhub.core.documents import UnknownItem
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.purchasing import InvalidPrice, OrderLineMismatch
from dealerhub.shared.errors import DomainError
from dealerhub.web.errors import answer_for
from dealerhub.web.forms import GENERAL, REQUIRED, FormReader, FormRejected
from dealerhub.web.i18n import N_

FORM_TEMPLATE = "backoffice/documents/form.html"
BASED_ON_TEMPLATE = "backoffice/documents/based_on_form.html"
DEFAULT_ROWS = 8
SPARE_ROWS = 3
MAX_ROWS = 200
LINES = "lines"

UNKNOWN_ARTICLE = N_("No active item has this article or code.")
AMBIGUOUS_ARTICLE = N_("Several items have this article: enter the item's code instead.")
NO_LINES = N_("Enter at least one line.")
NOT_POSITIVE = N_("Enter a quantity above zero.")
UNKNOWN_CONTRACTOR = N_("Choose a legal entity from the list.")

# Price column of the line rows.
NO_PRICE, PRICE_OPTIONAL, PRICE_REQUIRED = "none", "optional", "required"

# Which form field a use case's error belongs to, by the detail it names.
DETAIL_FIELDS = {
    "contractor_id": "contractor_id",
    "partner_id": "contractor_id",
    "warehouse_id": "warehouse_id",
    "currency": "currency",
    "rate": "exchange_rate",
    "invoice": "supplier_invoice_number",
    "kind": "kind",
}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | date | select | textarea | static
    options: Sequence[tuple[Any, str]] = ()
    required: bool = False
    translate: bool = False
    help: str | None = None


@dataclass
class DocumentForm:
    """What form.html renders: header fields, then the line rows."""

    title: str
    action: str
    cancel: str
    fields: list[FormField]
    price: str = NO_PRICE
    price_help: str | None = None
    links: bool = False
    rows: int = DEFAULT_ROWS

    def context(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        context: dict[str, Any] = {"form": self}
        if values is not None:
            context["values"] = {**values, "rows": str(self.rows)}
        return context


@dataclass(frozen=True)
class EnteredLine:
    row: int
    item_id: int
    quantity: Decimal
    price: Decimal | None = None
    link: int | None = None


@dataclass
class SourceLine:
    """A line of the document a new one is based on, with what may be taken of it."""

    line_id: int
    line_no: int
    article: str
    name: str
    available: Decimal
    default: Decimal | None = None


@dataclass
class BasedOnForm:
    """What based_on_form.html renders: header fields, then a quantity per source line."""

    title: str
    action: str
    cancel: str
    fields: list[FormField]
    lines: list[SourceLine] = field(default_factory=list)
    available_label: str = N_("Available")

    def context(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        context: dict[str, Any] = {"form": self}
        if values is not None:
            defaults = {
                f"qty_{ln.line_id}": _plain(ln.default) for ln in self.lines if ln.default is not None
            }
            context["values"] = {**defaults, **values}
        return context


def document_form(
    page: str, doc_id: int | None, titles: tuple[str, str], fields: list[FormField], **options: Any
) -> DocumentForm:
    """The form of a new document (no doc_id) or of a draft: `titles` are (new, edit)."""
    path = f"{PREFIX}{page}/{doc_id}" if doc_id else f"{PREFIX}{page}"
    if doc_id:
        return DocumentForm(titles[1], f"{path}/edit", path, fields, **options)
    return DocumentForm(titles[0], f"{path}/new", path, fields, **options)


# What a form's fields read as (use-case keywords) and its lines, from the sent form and its row count.
FormRead = Callable[[FormReader, int], tuple[dict[str, Any], list[EnteredLine]]]


def submit_form(
    reader: FormReader,
    form: Callable[[int], DocumentForm],
    read: FormRead,
    save: Callable[[dict[str, Any], list[EnteredLine]], str],
    by_class: Mapping[type[DomainError], str] | None = None,
) -> RedirectResponse:
    """A document form sent: `form(rows)` is shown again with the problems beside their fields
    when it does not read or the use case in `save` refuses; else on to the path `save` returns."""
    rows = row_count(reader)
    context = form(rows).context()
    fields, lines = read(reader, rows)
    if not reader.ok:
        raise reader.rejected(FORM_TEMPLATE, context)
    try:
        done = save(fields, lines)
    except DomainError as error:
        raise refuse_form(reader, FORM_TEMPLATE, context, error, lines, by_class=by_class) from None
    return RedirectResponse(done, status_code=303)


def _plain(quantity: Decimal) -> str:
    """A quantity as it is typed: 4, 1.5 (not 4.000)."""
    return format(quantity.normalize(), "f")


def row_count(reader: FormReader, at_least: int = DEFAULT_ROWS) -> int:
    """How many line rows the submitted form had (so a refused form shows them all again)."""
    rows = reader.integer("rows") or at_least
    return max(1, min(rows, MAX_ROWS))


def find_item_id(s: Session, typed: str) -> int | str:
    """The item an article (any case and separators) or code names; else the error to show."""
    key = normalize_article(typed)
    ids = (
        list(s.scalars(select(Item.id).where(Item.article_key == key, Item.is_active).limit(2)))
        if key
        else []
    )
    if len(ids) == 1:
        return ids[0]
    by_code = s.scalar(select(Item.id).where(Item.code == typed.strip(), Item.is_active))
    if by_code is not None:
        return by_code
    return AMBIGUOUS_ARTICLE if ids else UNKNOWN_ARTICLE


def read_lines(s: Session, reader: FormReader, *, rows: int, price: str = NO_PRICE) -> list[EnteredLine]:
    """The filled line rows, items resolved; every problem lands beside its field."""
    lines = []
    for n in range(1, rows + 1):
        typed = reader.text(f"line_{n}_article", max_length=64)
        has_quantity = bool(reader.text(f"line_{n}_quantity"))
        if typed is None and not has_quantity:
            continue
        if typed is None:
            reader.errors[f"line_{n}_article"] = REQUIRED
            continue
        found = find_item_id(s, typed)
        quantity = reader.decimal(f"line_{n}_quantity", required=True)
        if quantity is not None and quantity <= 0:
            reader.errors[f"line_{n}_quantity"] = NOT_POSITIVE
        line_price = (
            reader.decimal(f"line_{n}_price", required=price == PRICE_REQUIRED) if price != NO_PRICE else None
        )
        link = reader.integer(f"line_{n}_link")
        if isinstance(found, str):
            reader.errors[f"line_{n}_article"] = found
            continue
        if quantity is not None and quantity > 0:
            lines.append(EnteredLine(n, found, quantity, line_price, link))
    if not lines and reader.ok:
        reader.errors[LINES] = NO_LINES
    return lines


def line_values(
    s: Session, lines: Sequence[Any], *, price: bool = False, link: str | None = None
) -> dict[str, str]:
    """The form values of a draft's lines (line_<n>_article ...), for its edit form."""
    articles = dict(
        s.execute(select(Item.id, Item.article).where(Item.id.in_({ln.item_id for ln in lines}))).all()
    )
    values = {}
    for n, line in enumerate(lines, start=1):
        values[f"line_{n}_article"] = articles.get(line.item_id, "")
        values[f"line_{n}_quantity"] = _plain(line.quantity)
        if price:
            values[f"line_{n}_price"] = format(line.price, "f")
        if link and getattr(line, link) is not None:
            values[f"line_{n}_link"] = str(getattr(line, link))
    return values


def edit_rows(line_count: int) -> int:
    return max(DEFAULT_ROWS, line_count + SPARE_ROWS)


def read_quantities(reader: FormReader, lines: Sequence[SourceLine]) -> dict[int, Decimal]:
    """Quantity per source line id from the fields qty_<line id>; blank and zero are left out."""
    quantities = {}
    for line in lines:
        quantity = reader.decimal(f"qty_{line.line_id}")
        if quantity is None or quantity == 0:
            continue
        if quantity < 0:
            reader.errors[f"qty_{line.line_id}"] = NOT_POSITIVE
            continue
        quantities[line.line_id] = quantity
    if not quantities and reader.ok:
        reader.errors[LINES] = NO_LINES
    return quantities


def contractor_choices(s: Session, *, dealers: bool) -> list[tuple[int, str]]:
    """Active legal entities of active dealers (or suppliers), as "partner — legal entity (INN)"."""
    kind = Partner.is_dealer if dealers else Partner.is_supplier
    rows = s.execute(
        select(Contractor.id, Partner.name, Contractor.name, Contractor.inn)
        .join(Partner, Partner.id == Contractor.partner_id)
        .where(kind, Partner.is_active, Contractor.is_active)
        .order_by(Partner.name, Contractor.name)
    )
    return [(cid, f"{partner} — {name}" + (f" ({inn})" if inn else "")) for cid, partner, name, inn in rows]


def partner_of(s: Session, reader: FormReader, contractor_id: int | None) -> int | None:
    """The partner of the chosen legal entity (the use case checks it is a dealer or supplier)."""
    if contractor_id is None:
        return None
    partner_id = s.scalar(select(Contractor.partner_id).where(Contractor.id == contractor_id))
    if partner_id is None:
        reader.errors["contractor_id"] = UNKNOWN_CONTRACTOR
    return partner_id


def refuse_form(
    reader: FormReader,
    template: str,
    context: dict[str, Any],
    error: DomainError,
    lines: Sequence[EnteredLine] = (),
    *,
    by_class: Mapping[type[DomainError], str] | None = None,
    line_field: str = "quantity",
) -> FormRejected:
    """The use case refused the form: its message goes beside the field (or line row) it names,
    else on top; the whole request is rolled back."""
    reader.errors[_field_of(error, lines, by_class or {}, line_field)] = error.message
    rejection = reader.rejected(template, context)
    rejection.status_code = answer_for(error).status
    return rejection


def refuse_based_on(
    reader: FormReader,
    form: BasedOnForm,
    error: DomainError,
    by_class: Mapping[type[DomainError], str] | None = None,
    by_line: Mapping[int, int] | None = None,
) -> FormRejected:
    """The use case refused a document based on another: a message about line n goes beside that
    line's quantity (n: the source line's number, or `by_line` maps it to a source line id),
    others beside their field or on top."""
    line_no = error.details.get("line")
    source = by_line if by_line is not None else {line.line_no: line.line_id for line in form.lines}
    if isinstance(line_no, int) and line_no in source:
        field_name = f"qty_{source[line_no]}"
    else:
        field_name = _field_of(error, (), by_class or {}, "quantity")
    reader.errors[field_name] = error.message
    rejection = reader.rejected(BASED_ON_TEMPLATE, form.context())
    rejection.status_code = answer_for(error).status
    return rejection


def _field_of(
    error: DomainError,
    lines: Sequence[EnteredLine],
    by_class: Mapping[type[DomainError], str],
    line_field: str,
) -> str:
    line_no = error.details.get("line")
    if isinstance(line_no, int) and 1 <= line_no <= len(lines):
        row = lines[line_no - 1].row
        if isinstance(error, UnknownItem | OrderLineMismatch):
            return f"line_{row}_article"
        if isinstance(error, InvalidPrice) or error.details.get("item_id") is not None:
            return f"line_{row}_price"
        return f"line_{row}_{line_field}"
    for cls, name in by_class.items():
        if isinstance(error, cls):
            return name
    for detail, name in DETAIL_FIELDS.items():
        if detail in error.details:
            return name
    return GENERAL
