"""The cabinet's bonus programs page (rules, status, "buy X more", ledger, balance) and spending
bonus on the submit page: the lowered prices, the write-off on the page, bad input refused with
nothing written. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from dealerhub.core import bonus, sales
from dealerhub.core.catalog.models import Item
from dealerhub.shared import clock
from tests import factories as f
from tests.bonus.builders import counts, earn_balance, utc
from tests.cabinet.conftest import log_in_dealer
from tests.cabinet.test_carts_web import make_cart, make_shop, post, speaks_russian
from tests.cabinet.test_orders_web import orders_of, review
from tests.web.pages import text_of

D = Decimal


def _section(html: str, code: str) -> str:
    return html.split(f'id="program-{code}"')[1].split('class="card mb-3 bonus-program"')[0]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_shows_rules_status_ledger_and_balance(core_db, client):
    shop = make_shop(core_db)
    w = shop.w
    earn_balance(core_db, w)
    with core_db.transaction() as s:
        bonus.create_program(s, bonus.ProgramInput(
            code="TIERS", name="Tiered", kind="turnover", period="quarter", valid_from=date(2026, 1, 1),
            tiers=[bonus.Tier(D("1000.00"), D(3)), bonus.Tier(D("2000.00"), D("5.5"))],
            targets=[bonus.TargetInput("group", s.get(Item, w.piece).group_id)],  # the piece's group
        ), user_id=None)
        order = sales.create_customer_order(  # 4 pieces shipped in April: the running quarter
            s, user_id=None, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.other,
            lines=[sales.OrderLineInput(w.piece, D(4))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=w.user_id)
        task = sales.create_picking_task(s, order.id, user_id=w.user_id)
        sales.post_picking_task(s, task.id, user_id=w.user_id)
        sales.post_sale(s, sales.create_sale(s, task.id, user_id=w.user_id).id, user_id=w.user_id)
    clock.freeze(utc(2026, 4, 10, 9))
    log_in_dealer(client, shop.accountant)  # every role of the company sees the programs

    page = client.get("/cabinet/bonus")
    assert page.status_code == 200, page.text
    tiers = _text(_section(page.text, "TIERS"))
    assert "Purchases so far: 400.00 ₽ · tier now: 0 %" in tiers
    assert "Buy 600.00 ₽ more to reach 3 %." in tiers
    assert "1,000.00 ₽ 3 %" in tiers and "2,000.00 ₽ 5.5 %" in tiers
    assert "No entries yet." in tiers and "Counted purchases: item group Filters" in tiers
    quarterly = _text(_section(page.text, "Q"))
    assert "You have reached the top tier." in quarterly and "bonus if the period closed now: 40.00 ₽" in quarterly
    assert "balance: 100.00 ₽" in quarterly
    assert "accrual 1/1/26 – 3/31/26 1,000.00 10 100.00" in quarterly
    assert "The balance can pay up to 30 % of an order." in quarterly


def test_bonus_applied_on_the_submit_page_lowers_the_prices_and_shows_in_the_ledger(core_db, client):
    shop = make_shop(core_db)
    w = shop.w
    program = earn_balance(core_db, w)
    log_in_dealer(client, shop.buyer)
    cart_id = make_cart(core_db, w, "Sidorov", (w.piece, "3"), (w.litre, "2"))
    fields = review(client, cart_id)
    assert "Quarterly bonus: balance 100.00, up to 100.00 on this order" in fields["page"]  # cap 120.30

    before = counts(core_db)
    bad = post(client, f"/cabinet/carts/{cart_id}/submit", {**_form(fields), "bonus_program_id": str(program), "bonus_amount": "lots"})
    assert bad.status_code == 422 and "enter the bonus to apply as an amount in roubles" in bad.text
    over = post(client, f"/cabinet/carts/{cart_id}/submit", {**_form(fields), "bonus_program_id": str(program), "bonus_amount": "100.01"})
    assert over.status_code == 422 and "you have 100.00 of bonus in Quarterly bonus, less than 100.01" in over.text
    assert counts(core_db) == before

    done = post(client, f"/cabinet/carts/{cart_id}/submit", {**_form(fields), "bonus_program_id": str(program), "bonus_amount": "100,00"})
    assert done.status_code == 303, done.text
    placed = orders_of(core_db, w.partner_id)[-1]
    assert placed[3] == [(w.piece, D(3), D("75.07")), (w.litre, D(2), D("37.90"))]  # 99.99 of 100.00
    order_page = _text(client.get(done.headers["location"]).text)
    assert "Paid with bonus (already in the prices): 99.99 ₽" in order_page
    page = _text(client.get("/cabinet/bonus").text)
    assert "balance: 0.01 ₽" in page
    assert re.search(r"paid an order CO-\S+ -99\.99", page)


def _form(fields):
    return {k: v for k, v in fields.items() if k != "page"}


def test_the_page_shows_only_the_dealers_programs_that_run(core_db, client):
    shop = make_shop(core_db)
    w = shop.w
    clock.freeze(utc(2026, 6, 1, 9))
    with core_db.transaction() as s:
        other, _ = f.dealer(s)
        for code, fields in (
            ("OVER", {"kind": "promotion", "valid_from": date(2026, 5, 1), "valid_to": date(2026, 5, 31)}),
            ("NOW", {"kind": "promotion", "valid_from": date(2026, 6, 1), "valid_to": date(2026, 6, 30)}),
            ("NEXT", {"kind": "discount", "valid_from": date(2026, 7, 1)}),
            ("THEIRS", {"kind": "discount", "valid_from": date(2026, 1, 1), "all_partners": False, "partner_ids": [other.id]}),
            ("OFF", {"kind": "discount", "valid_from": date(2026, 1, 1), "is_active": False}),
        ):
            bonus.create_program(s, bonus.ProgramInput(
                code=code, name=code.title(), targets=[bonus.TargetInput("item", w.piece, D(5))], **fields,
            ), user_id=None)
    log_in_dealer(client, shop.buyer)
    page = client.get("/cabinet/bonus").text
    assert re.findall(r'id="program-(\w+)"', page) == ["NEXT", "NOW"]  # newest first
    assert "not in force" in _section(page, "NEXT") and "not in force" not in _section(page, "NOW")
    assert "item 6I-2503: −5 %" in _text(_section(page, "NOW"))


def test_a_bonus_refusal_is_in_the_buyers_language(core_db, client):
    shop = make_shop(core_db)
    w = shop.w
    program = earn_balance(core_db, w)
    speaks_russian(core_db, shop.buyer)
    log_in_dealer(client, shop.buyer)
    cart_id = make_cart(core_db, w, "Sidorov", (w.piece, "3"), (w.litre, "2"))
    fields = review(client, cart_id)
    before = counts(core_db)
    over = post(client, f"/cabinet/carts/{cart_id}/submit", {**_form(fields), "bonus_program_id": str(program), "bonus_amount": "100.01"})
    assert over.status_code == 422
    assert text_of(over.text, "error-message") == "у вас 100.00 бонуса по программе «Quarterly bonus» — меньше, чем 100.01"
    assert counts(core_db) == before
