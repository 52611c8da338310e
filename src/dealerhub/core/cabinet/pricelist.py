"""The dealer's personal price list: every active item with the base price, the dealer's price and
discount, and the free stock on each priority warehouse (in priority order) with the moment it was
read. XLSX (openpyxl, write-only: memory stays flat for 100 000 items; header in bold, frozen,
number formats) and CSV for a Russian Excel: UTF-8 with a BOM, ';' between fields, a decimal comma,
CRLF. Both are made in batches of items (keyset by id), each batch priced and stocked at once."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from dealerhub.core.cabinet import catalog_offers
from dealerhub.core.cabinet.deps import Dealer, require_permission
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.catalog.models import Brand, Item, ItemTranslation, Unit
from dealerhub.core.catalog.rules import pick_name
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from dealerhub.web.deps import get_db, request_language
from dealerhub.web.i18n import N_

router = APIRouter()
CatalogReader = Annotated[Dealer, Depends(require_permission("cabinet.catalog"))]
BATCH = 2000
MONEY_FORMAT = "#,##0.00"
QTY_FORMAT = "#,##0.###"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
COLUMNS = (
    N_("Article"),
    N_("Name"),
    N_("Brand"),
    N_("Unit"),
    N_("Base price"),
    N_("Your price"),
    N_("Discount, %"),
)
AS_OF = N_("Stock as of (UTC)")


@dataclass(frozen=True)
class PriceRow:
    article: str
    name: str
    brand: str
    unit: str
    base_price: Decimal | None
    price: Decimal | None
    discount: Decimal | None
    free: tuple[Decimal, ...]
    as_of: datetime


def price_rows(database: Database, partner_id: int, lang: str, own_lang: str) -> Iterator[PriceRow]:
    """The price list's rows by article, a batch of items per transaction (each row's stock is
    stamped with the moment its batch was read)."""
    after: tuple[str, int] | None = None
    while True:
        with database.session() as s:
            terms = catalog_offers.dealer_terms(s, partner_id)
            batch = _items_after(s, after)
            if not batch:
                return
            offers = catalog_offers.offers(s, terms, [r.id for r in batch])
            names = _names(s, [r.id for r in batch], lang, own_lang)
        for r in batch:
            offer = offers[r.id]
            personal = offer.personal
            yield PriceRow(
                article=r.article,
                name=names.get(r.id, ""),
                brand=r.brand or "",
                unit=pick_name(r.unit_names or {}, lang, own_lang) or r.unit_code,
                base_price=offer.base_price,
                price=personal.price if personal else None,
                discount=personal.discount_percent if personal else None,
                free=offer.free,
                as_of=offer.as_of,
            )
        after = (batch[-1].article, batch[-1].id)


def _items_after(s: Session, after: tuple[str, int] | None) -> list[Any]:
    query = (
        select(Item.id, Item.article, Brand.name.label("brand"), Unit.code.label("unit_code"), Unit.names.label("unit_names"))
        .join(Unit, Unit.id == Item.unit_id)
        .outerjoin(Brand, Brand.id == Item.brand_id)
        .where(Item.is_active.is_(True))
        .order_by(Item.article, Item.id)
        .limit(BATCH)
    )
    if after is not None:
        article, item_id = after
        query = query.where((Item.article > article) | ((Item.article == article) & (Item.id > item_id)))
    return list(s.execute(query))


def _names(s: Session, item_ids: list[int], lang: str, own_lang: str) -> dict[int, str]:
    by_item: dict[int, dict[str, str]] = {}
    rows = s.execute(
        select(ItemTranslation.item_id, ItemTranslation.lang, ItemTranslation.name).where(
            ItemTranslation.item_id.in_(item_ids), ItemTranslation.lang.in_({lang, own_lang})
        )
    )
    for item_id, item_lang, name in rows:
        by_item.setdefault(item_id, {})[item_lang] = name
    return {i: pick_name(names, lang, own_lang) for i, names in by_item.items()}


def header(translate: Any, warehouses: tuple[catalog_offers.WarehouseRef, ...]) -> list[str]:
    return [translate(c) for c in COLUMNS] + [w.name for w in warehouses] + [translate(AS_OF)]


def decimal_comma(value: Decimal | None) -> str:
    """A number as a Russian Excel reads it: no grouping, a comma before the fraction."""
    return "" if value is None else format(value, "f").replace(".", ",")


def csv_chunks(heading: list[str], rows: Iterator[PriceRow]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer.writerow(heading)
    for n, row in enumerate(rows, start=1):
        writer.writerow(
            [row.article, row.name, row.brand, row.unit]
            + [decimal_comma(v) for v in (row.base_price, row.price, row.discount)]
            + [decimal_comma(q.normalize() if q else q) for q in row.free]
            + [row.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")]
        )
        if n % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(path: str, heading: list[str], rows: Iterator[PriceRow], warehouse_count: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Price list")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (18, 50, 18, 8, 14, 14, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, title, font=bold) for title in heading])
    formats = [None] * 4 + [MONEY_FORMAT, MONEY_FORMAT, QTY_FORMAT] + [QTY_FORMAT] * warehouse_count + [MOMENT_FORMAT]
    for row in rows:
        values = [row.article, row.name, row.brand, row.unit, row.base_price, row.price, row.discount, *row.free]
        values.append(row.as_of.astimezone(UTC).replace(tzinfo=None))
        sheet.append([_cell(sheet, v, number_format=f) for v, f in zip(values, formats, strict=True)])
    workbook.save(path)


def _cell(sheet: Any, value: Any, *, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def _export(request: Request, dealer: Dealer) -> tuple[Database, str, str, list[str], int]:
    database = get_db(request)
    lang = request_language(request)
    own_lang = request.app.state.settings.languages[0]  # the catalog's own language
    translations = request.app.state.i18n.get(lang)
    with database.session() as s:
        warehouses = catalog_offers.dealer_terms(s, dealer.partner_id).warehouses
    return database, lang, own_lang, header(translations.gettext, warehouses), len(warehouses)


def _filename(extension: str) -> str:
    return f"price-list-{clock.today().isoformat()}.{extension}"


@router.get("/catalog/price-list.csv")
@scoped()
def price_list_csv(request: Request, dealer: CatalogReader) -> Response:
    database, lang, own_lang, heading, _count = _export(request, dealer)
    rows = price_rows(database, dealer.partner_id, lang, own_lang)
    return StreamingResponse(
        csv_chunks(heading, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'},
    )


@router.get("/catalog/price-list.xlsx")
@scoped()
def price_list_xlsx(request: Request, dealer: CatalogReader) -> Response:
    database, lang, own_lang, heading, count = _export(request, dealer)
    handle = tempfile.NamedTemporaryFile(prefix="dealerhub-price-list-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    try:
        write_xlsx(handle.name, heading, price_rows(database, dealer.partner_id, lang, own_lang), count)
    except BaseException:
        _remove(handle.name)
        raise
    return FileResponse(
        handle.name,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=_filename("xlsx"),
        background=BackgroundTask(_remove, handle.name),
    )


def _remove(path: str) -> None:
    Path(path).unlink(missing_ok=True)
