"""The personal price list: CSV for a Russian Excel and XLSX, parsed back exactly, with the dealer's
prices and free stock on their warehouses; batches don't lose or repeat rows."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from dealerhub.core.cabinet import pricelist
from dealerhub.core.catalog.models import Item
from tests import factories as f
from tests.cabinet.conftest import log_in_dealer
from tests.cabinet.test_catalog_pages import NOW, shop  # noqa: F401 - the fixture

AS_OF = NOW.strftime("%Y-%m-%d %H:%M:%S")


def test_csv_opens_in_a_russian_excel(client, dealer_a, shop):  # noqa: F811
    log_in_dealer(client, "alpha-buyer")
    answer = client.get("/cabinet/catalog/price-list.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="price-list-2026-11-28.csv"'
    body = answer.content
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert parsed == [
        ["Article", "Name", "Brand", "Unit", "Base price", "Your price", "Discount, %", shop.w1.name, shop.w2.name,
         "Stock as of (UTC)"],
        ["AB-123", "Hydraulic pump", "Shanmon", "pcs", "1000,00", "810,00", "10,00", "0", "7", AS_OF],
        ["F-100", "Oil filter", "Shanmon", "pcs", "", "", "", "0", "0", AS_OF],
        ["SK-1", "Seal kit", "Shanmon", "pcs", "50,00", "40,50", "10,00", "0", "0", AS_OF],
        ["SK-2", "Heavy seal kit", "Shanmon", "pcs", "70,00", "54,00", "10,00", "3", "0", AS_OF],
    ]


def test_csv_headers_in_russian_for_a_russian_user(client, core_db, dealer_a, shop):  # noqa: F811
    from sqlalchemy import update

    from dealerhub.core.accounts.models import User

    with core_db.transaction() as s:
        s.execute(update(User).where(User.id == dealer_a.users["buyer"]).values(language="ru"))
    log_in_dealer(client, "alpha-buyer")
    text = client.get("/cabinet/catalog/price-list.csv").content.decode("utf-8-sig")
    first, pump = text.split("\r\n")[:2]
    assert first.split(";")[:3] == ["Артикул", "Наименование", "Бренд"]
    assert pump.split(";")[:4] == ["AB-123", "Насос гидравлический", "Shanmon", "шт"]


def test_xlsx_has_a_frozen_bold_header_and_real_numbers(client, dealer_a, shop):  # noqa: F811
    log_in_dealer(client, "alpha-buyer")
    answer = client.get("/cabinet/catalog/price-list.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    as_of = datetime(2026, 11, 28, 9, 30)
    assert values == [
        ["Article", "Name", "Brand", "Unit", "Base price", "Your price", "Discount, %", shop.w1.name, shop.w2.name,
         "Stock as of (UTC)"],
        ["AB-123", "Hydraulic pump", "Shanmon", "pcs", 1000, 810, 10, 0, 7, as_of],
        ["F-100", "Oil filter", "Shanmon", "pcs", None, None, None, 0, 0, as_of],
        ["SK-1", "Seal kit", "Shanmon", "pcs", 50, 40.5, 10, 0, 0, as_of],
        ["SK-2", "Heavy seal kit", "Shanmon", "pcs", 70, 54, 10, 3, 0, as_of],
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert (sheet["E2"].number_format, sheet["I2"].number_format, sheet["J2"].number_format) == (
        pricelist.MONEY_FORMAT, pricelist.QTY_FORMAT, pricelist.MOMENT_FORMAT
    )


def test_batches_cover_every_item_once_in_article_order(client, core_db, dealer_a, shop, monkeypatch):  # noqa: F811
    """Many items with equal articles across batch boundaries: none lost, none repeated."""
    with core_db.transaction() as s:
        group, unit = s.get(Item, shop.pump).group_id, s.get(Item, shop.pump).unit_id
        for n in range(23):
            it = f.item(s, article=f"ZZ-{n % 4}")
            it.group_id, it.unit_id = group, unit
    monkeypatch.setattr(pricelist, "BATCH", 5)
    log_in_dealer(client, "alpha-buyer")
    text = client.get("/cabinet/catalog/price-list.csv").content.decode("utf-8-sig")
    articles = [line.split(";")[0] for line in text.split("\r\n")[1:] if line]
    assert articles == ["AB-123", "F-100", "SK-1", "SK-2"] + sorted(f"ZZ-{n % 4}" for n in range(23))


def test_decimal_comma_keeps_every_digit():
    assert [pricelist.decimal_comma(v) for v in (Decimal("1234567.89"), Decimal("0.5"), Decimal(12), None)] == [
        "1234567,89", "0,5", "12", ""
    ]
    assert re.fullmatch(r"\d+,\d\d", pricelist.decimal_comma(Decimal("100.00")))
