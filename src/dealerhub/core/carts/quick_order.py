"""Quick order: "article quantity" lines pasted or uploaded (XLSX, or CSV with ';' or ',' in
UTF-8 or Windows-1251), matched on the article key (spaces, dashes, dots and case ignored).

Every known article with a good quantity is added to the cart (in one change); unknown articles
are listed with suggestions (the active analogues of an item with that article that is no longer
sold, items answering to it as an OEM number, and their analogues) and nothing is added for them;
bad quantities are listed with the reason. Only a paste or file with nothing usable is refused.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.carts import rules
from dealerhub.core.carts.errors import InvalidCartInput
from dealerhub.core.carts.queries import item_facts
from dealerhub.core.carts.rules import PastedLine, RowProblem
from dealerhub.core.carts.service import ItemQuantity, add_items
from dealerhub.core.catalog import normalize_article
from dealerhub.core.catalog.models import Item, ItemAnalogue, ItemOemNumber
from dealerhub.shared.texts import T

MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    item_id: int
    article: str


@dataclass(frozen=True)
class UnknownArticle:
    row: int
    article: str
    suggestions: list[Suggestion]


@dataclass
class QuickOrderResult:
    added: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (item id, article, quantity)
    unknown: list[UnknownArticle] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def quick_order_text(s: Session, cart_id: int, *, partner_id: int, user_id: int | None, text: str) -> QuickOrderResult:
    lines, problems = rules.split_pasted(text)
    return _apply(s, cart_id, partner_id, user_id, lines, problems)


def quick_order_file(
    s: Session, cart_id: int, *, partner_id: int, user_id: int | None, filename: str, content: bytes
) -> QuickOrderResult:
    lines, problems = read_file(filename, content)
    return _apply(s, cart_id, partner_id, user_id, lines, problems)


def read_file(filename: str, content: bytes) -> tuple[list[PastedLine], list[RowProblem]]:
    """The rows of an uploaded .xlsx or .csv (first sheet; article in the first column, quantity
    in the second; a header row is skipped)."""
    if len(content) > MAX_FILE_BYTES:
        raise InvalidCartInput(T("the file is larger than %(mb)s MB", mb=MAX_FILE_BYTES // (1024 * 1024)))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise InvalidCartInput(T("upload an .xlsx or .csv file"))
    lines: list[PastedLine] = []
    problems: list[RowProblem] = []
    for row_no, cells in rows:
        entry = rules.cells_to_line(row_no, cells, first=not lines and not problems)
        if isinstance(entry, PastedLine):
            lines.append(entry)
        elif entry is not None:
            problems.append(entry)
    return lines, problems


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only quick orders from Excel need it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidCartInput(T("the file is not an Excel workbook (.xlsx)")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row_no, values in enumerate(sheet.iter_rows(max_col=2, values_only=True), start=1):
            if row_no > MAX_ROWS + 1:
                raise InvalidCartInput(T("at most %(rows)s lines at a time", rows=MAX_ROWS))
            rows.append((row_no, [_cell(v) for v in values]))
        return rows
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps numbers as binary floats: 1.5 comes back as 1.5, 2 as 2.0.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes almost any byte
        raise InvalidCartInput(T("the file is neither UTF-8 nor Windows-1251 text"))
    head = text[:4096]
    delimiter = ";" if ";" in head else ","  # a Russian Excel writes ';' (its decimal is a comma)
    rows = []
    for row_no, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if row_no > MAX_ROWS + 1:
            raise InvalidCartInput(T("at most %(rows)s lines at a time", rows=MAX_ROWS))
        rows.append((row_no, cells))
    return rows


def _apply(
    s: Session, cart_id: int, partner_id: int, user_id: int | None, lines: list[PastedLine], problems: list[RowProblem]
) -> QuickOrderResult:
    if len(lines) > MAX_ROWS:
        raise InvalidCartInput(T("at most %(rows)s lines at a time", rows=MAX_ROWS))
    result = QuickOrderResult(problems=list(problems))
    keys = {normalize_article(ln.article) for ln in lines}
    found = _active_by_key(s, keys)
    facts = item_facts(s, [i for ids in found.values() for i in ids])
    wanted: dict[int, Decimal] = {}
    for ln in lines:
        key = normalize_article(ln.article)
        ids = found.get(key, [])
        if not ids:
            result.unknown.append(UnknownArticle(ln.row, ln.article, suggest(s, key)))
            continue
        if len(ids) > 1:
            result.problems.append(
                RowProblem(ln.row, ln.article, T("%(count)s items have this article: add it from the catalog", count=len(ids)))
            )
            continue
        fact = facts[ids[0]]
        try:
            quantity = rules.parse_quantity(ln.quantity)
        except InvalidCartInput as bad:
            result.problems.append(RowProblem(ln.row, f"{ln.article} {ln.quantity}", bad.message))
            continue
        problem = rules.quantity_problem(quantity, fact.precision, fact.unit)
        if problem:
            result.problems.append(RowProblem(ln.row, f"{ln.article} {ln.quantity}", problem))
            continue
        wanted[fact.id] = wanted.get(fact.id, Decimal(0)) + quantity
    if not wanted:
        if not lines and not result.problems:
            raise InvalidCartInput(T("nothing to add: write lines of an article and a quantity"))
        return result  # nothing added; the report says why
    add_items(
        s, cart_id, partner_id=partner_id, user_id=user_id,
        items=[ItemQuantity(i, q) for i, q in wanted.items()], cause="quick_order",
    )
    result.added = [(i, facts[i].article, q) for i, q in wanted.items()]
    return result


def _active_by_key(s: Session, keys: set[str]) -> dict[str, list[int]]:
    keys.discard("")
    found: dict[str, list[int]] = {}
    if keys:
        for item_id, key in s.execute(
            select(Item.id, Item.article_key).where(Item.article_key.in_(sorted(keys)), Item.is_active.is_(True))
        ):
            found.setdefault(key, []).append(item_id)
    return found


def suggest(s: Session, key: str) -> list[Suggestion]:
    """What could replace an unknown article: items answering to it as an OEM number, the active
    analogues of those and of items with this article that are no longer sold."""
    if not key:
        return []
    by_oem = set(s.scalars(select(ItemOemNumber.item_id).where(ItemOemNumber.number_key == key)))
    same_article = set(s.scalars(select(Item.id).where(Item.article_key == key)))
    sources = by_oem | same_article
    analogues = (
        set(s.scalars(select(ItemAnalogue.analogue_id).where(ItemAnalogue.item_id.in_(sorted(sources)))))
        if sources
        else set()
    )
    candidates = by_oem | analogues
    if not candidates:
        return []
    rows = s.execute(
        select(Item.id, Item.article)
        .where(Item.id.in_(sorted(candidates)), Item.is_active.is_(True))
        .order_by(Item.article, Item.id)
        .limit(SUGGESTIONS)
    )
    return [Suggestion(i, a) for i, a in rows]
