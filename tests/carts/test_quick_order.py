"""Quick order from pasted text, XLSX and CSV: known articles added (quantities merged), unknown
ones listed with analogue suggestions and nothing added for them. SQLite and PostgreSQL."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from dealerhub.core import carts
from dealerhub.core.carts.quick_order import Suggestion, UnknownArticle
from dealerhub.core.catalog.models import Item, ItemAnalogue, ItemOemNumber
from tests import factories as f
from tests.carts.builders import make_world, nothing_written

D = Decimal


def _setup(db):
    w = make_world(db)
    with db.transaction() as s:
        cart_id = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name="Q").id
        old = f.item(s, article="OLD-7")
        s.get(Item, old.id).is_active = False
        s.add(ItemAnalogue(item_id=old.id, analogue_id=w.piece, two_way=False))
        s.add(ItemOemNumber(item_id=w.litre, number="CAT 1R-0750", number_key="CAT1R0750"))
    return w, cart_id


def _lines(db, w, cart_id):
    with db.session() as s:
        return [(ln.item_id, ln.quantity) for ln in carts.get_cart(s, cart_id, w.partner_id).lines]


def test_pasted_text(core_db):
    w, cart_id = _setup(core_db)
    text = "6i 2503\t2\noil-15w40;1,5\n6I.2503 3\nOLD 7 4\ncat1r0750 1\nNOPE-1 1\n6I-2503 1.5\n"
    with core_db.transaction() as s:
        result = carts.quick_order_text(s, cart_id, partner_id=w.partner_id, user_id=None, text=text)
    assert result.added == [(w.piece, "6I-2503", D(5)), (w.litre, "OIL.15W40", D("1.5"))]
    assert result.unknown == [
        UnknownArticle(4, "OLD 7", [Suggestion(w.piece, "6I-2503")]),
        UnknownArticle(5, "cat1r0750", [Suggestion(w.litre, "OIL.15W40")]),
        UnknownArticle(6, "NOPE-1", []),
    ]
    [problem] = result.problems
    assert (problem.row, problem.text) == (7, "6I-2503 1.5")
    assert problem.problem.startswith("1.5 pcs") and "this item is sold in whole" in problem.problem
    assert _lines(core_db, w, cart_id) == [(w.piece, D(5)), (w.litre, D("1.5"))]


def test_nothing_usable_is_refused_and_nothing_changes(core_db):
    w, cart_id = _setup(core_db)
    with nothing_written(core_db, carts.InvalidCartInput), core_db.transaction() as s:
        carts.quick_order_text(s, cart_id, partner_id=w.partner_id, user_id=None, text="  \n\n")
    with core_db.transaction() as s:  # only unknown articles: a report, no change to the cart
        result = carts.quick_order_text(s, cart_id, partner_id=w.partner_id, user_id=None, text="NOPE 1")
    assert result.added == [] and [u.article for u in result.unknown] == ["NOPE"]
    assert _lines(core_db, w, cart_id) == []


def test_xlsx_upload(core_db):
    w, cart_id = _setup(core_db)
    book = Workbook()
    sheet = book.active
    sheet.append(["Артикул", "Количество"])
    sheet.append(["6I-2503", 3])
    sheet.append(["OIL.15W40", 0.75])
    sheet.append([None, None])
    sheet.append(["NOPE", 2])
    buf = io.BytesIO()
    book.save(buf)
    with core_db.transaction() as s:
        result = carts.quick_order_file(
            s, cart_id, partner_id=w.partner_id, user_id=None, filename="order.XLSX", content=buf.getvalue()
        )
    assert result.added == [(w.piece, "6I-2503", D(3)), (w.litre, "OIL.15W40", D("0.75"))]
    assert [(u.row, u.article) for u in result.unknown] == [(5, "NOPE")]


def test_csv_from_a_russian_excel_and_a_utf8_one(core_db):
    w, cart_id = _setup(core_db)
    russian = "Артикул;Кол-во\r\n6I-2503;2\r\nOIL.15W40;0,5\r\n".encode("cp1251")
    utf8 = "\ufeffarticle,quantity\n6i2503,1\n".encode()
    with core_db.transaction() as s:
        first = carts.quick_order_file(s, cart_id, partner_id=w.partner_id, user_id=None, filename="z.csv", content=russian)
        second = carts.quick_order_file(s, cart_id, partner_id=w.partner_id, user_id=None, filename="z.csv", content=utf8)
    assert first.added == [(w.piece, "6I-2503", D(2)), (w.litre, "OIL.15W40", D("0.5"))]
    assert second.added == [(w.piece, "6I-2503", D(1))]
    assert _lines(core_db, w, cart_id) == [(w.piece, D(3)), (w.litre, D("0.5"))]
    with nothing_written(core_db, carts.InvalidCartInput) as info, core_db.transaction() as s:
        carts.quick_order_file(s, cart_id, partner_id=w.partner_id, user_id=None, filename="x.xlsx", content=b"not a zip")
    assert "not an Excel workbook" in info.value.message
