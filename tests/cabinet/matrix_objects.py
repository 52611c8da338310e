"""Factories of dealer-owned objects for the cross-dealer matrix (tests/cabinet/test_matrix.py).

One factory per object kind that a cabinet route declares (`@scoped(cart_id="cart")`). A factory
makes one such object for the given company through the real use cases and returns its id and a
text that only that object shows (the matrix checks it never appears on another dealer's pages).
`made` holds what was already made for this company by kind, in the order of the path's
parameters, so a line's factory can put it into the cart made just before.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from dealerhub.core.accounts import create_user
from dealerhub.shared.db import Database
from tests.cabinet.conftest import Company
from tests.web.conftest import PASSWORD


@dataclass(frozen=True)
class Made:
    id: int
    probe: str  # a text only this object shows


Factory = Callable[[Database, Company, dict[str, Made]], Made]

_serial = itertools.count(1)


def make_user(db: Database, company: Company, made: dict[str, Made]) -> Made:
    n = next(_serial)
    name = f"Colleague {n} of {company.name}"
    with db.transaction() as s:
        user = create_user(
            s,
            user_id=None,
            login=f"{company.key}-colleague-{n}",
            password=PASSWORD,
            full_name=name,
            role="buyer",
            email=f"colleague{n}@{company.key}.example",
            partner_id=company.partner_id,
        )
        return Made(user.id, name)


# kind -> factory. Add yours here when you declare a new kind on a cabinet route.
FACTORIES: dict[str, Factory] = {
    "user": make_user,
}


# --- carts and orders (helper G) ----------------------------------------------------------------


def make_cart(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from dealerhub.core import carts

    name = f"Cart {next(_serial)} of {company.name}"
    with db.transaction() as s:
        return Made(carts.create_cart(s, partner_id=company.partner_id, user_id=None, name=name).id, name)


def make_cart_line(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from decimal import Decimal

    from dealerhub.core import carts
    from tests import factories as f

    article = f"LINE-{next(_serial)}-{company.key}"
    with db.transaction() as s:
        item = f.item(s, article=article)
        cart = carts.add_items(
            s, made["cart_id"].id, partner_id=company.partner_id, user_id=None,
            items=[carts.ItemQuantity(item.id, Decimal(1))],
        )
        return Made(next(ln.id for ln in cart.lines if ln.item_id == item.id), article)


def make_order(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from decimal import Decimal

    from dealerhub.core import sales
    from dealerhub.core.partners.models import Contractor
    from tests import factories as f

    with db.transaction() as s:
        contractor = Contractor(
            partner_id=company.partner_id, name=f"LLC {company.name} {next(_serial)}",
            inn=f.valid_inn(next(_serial) + 500), kpp="770101001", country="RU",
        )
        s.add(contractor)
        s.flush()
        order = sales.create_customer_order(
            s, user_id=None, partner_id=company.partner_id, contractor_id=contractor.id,
            warehouse_id=f.warehouse(s).id, lines=[sales.OrderLineInput(f.item(s).id, Decimal(1), Decimal("10.00"))],
            comment=f"order of {company.name}",
        )
        return Made(order.id, order.number)


FACTORIES.update({"cart": make_cart, "cart_line": make_cart_line, "order": make_order})


# --- documents (issue 6): an invoice is an approved order; a sale document a posted sale ----------


def _approved_order(db: Database, company: Company) -> tuple[int, str]:
    from decimal import Decimal

    from dealerhub.core import sales
    from dealerhub.core.company import get_own_company
    from dealerhub.core.demo.own_company import seed_own_company
    from dealerhub.core.partners.models import Contractor
    from tests import factories as f

    with db.transaction() as s:
        if get_own_company(s) is None:
            seed_own_company(s)
        contractor = Contractor(
            partner_id=company.partner_id, name=f"LLC {company.name} {next(_serial)}",
            inn=f.valid_inn(next(_serial) + 500), kpp="770101001", country="RU",
        )
        s.add(contractor)
        s.flush()
        wh, item = f.warehouse(s), f.item(s)
        f.put_stock(s, item, wh, "5")
        order = sales.create_customer_order(
            s, user_id=None, partner_id=company.partner_id, contractor_id=contractor.id, warehouse_id=wh.id,
            lines=[sales.OrderLineInput(item.id, Decimal(2), Decimal("150.00"))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=None)
        return order.id, order.number


def make_invoice(db: Database, company: Company, made: dict[str, Made]) -> Made:
    order_id, number = _approved_order(db, company)
    return Made(order_id, number)


def make_sale(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from dealerhub.core import sales

    order_id, _ = _approved_order(db, company)
    with db.transaction() as s:
        task = sales.create_picking_task(s, order_id, user_id=None)
        sales.post_picking_task(s, task.id, user_id=None)
        sale = sales.create_sale(s, task.id, user_id=None)
        sales.post_sale(s, sale.id, user_id=None)
        return Made(sale.id, sale.number)


FACTORIES.update({"invoice": make_invoice, "sale": make_sale})
# --- claims (helper "claims") -------------------------------------------------------------------


def make_sale_line(db: Database, company: Company, made: dict[str, Made]) -> Made:
    """A line of a posted sale to the company (ordered, approved, picked and shipped)."""
    from decimal import Decimal

    from dealerhub.core import sales
    from dealerhub.core.partners.models import Contractor
    from tests import factories as f

    article = f"SHIPPED-{next(_serial)}-{company.key}"
    with db.transaction() as s:
        contractor = Contractor(
            partner_id=company.partner_id, name=f"LLC {company.name} {next(_serial)}",
            inn=f.valid_inn(next(_serial) + 700), kpp="770101001", country="RU",
        )
        s.add(contractor)
        warehouse, item = f.warehouse(s), f.item(s, article=article)
        f.put_stock(s, item, warehouse, "5")
        order = sales.create_customer_order(
            s, user_id=None, partner_id=company.partner_id, contractor_id=contractor.id, warehouse_id=warehouse.id,
            lines=[sales.OrderLineInput(item.id, Decimal(2), Decimal("10.00"))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=None)
        task = sales.create_picking_task(s, order.id, user_id=None)
        sales.post_picking_task(s, task.id, user_id=None)
        sale = sales.create_sale(s, task.id, user_id=None)
        sales.post_sale(s, sale.id, user_id=None)
        return Made(sale.lines[0].id, sale.number)  # the item is the catalog's: the sale is the company's


def make_claim(db: Database, company: Company, made: dict[str, Made]) -> Made:
    """A claim with a photo on a line shipped to the company, by its buyer."""
    from dealerhub.core import claims
    from tests.claims.builders import photo

    line = make_sale_line(db, company, {})
    n = next(_serial)
    text = f"claim {n} of {company.name}"
    with db.transaction() as s:
        claim = claims.submit_claim(
            s, claims.ClaimInput(line.id, "damage", "1", text, photos=[claims.Photo(f"crack-{company.key}-{n}.jpg", photo())]),
            partner_id=company.partner_id, user_id=company.users["buyer"],
        )
        return Made(claim.id, text)


def make_claim_photo(db: Database, company: Company, made: dict[str, Made]) -> Made:
    """The photo of the claim made just before (its attachment's id)."""
    from dealerhub.core import claims
    from dealerhub.core.attachments import load_attachment

    with db.session() as s:
        claim = claims.get_claim(s, made["claim_id"].id)
        photo = claim.photos[0].attachment_id
        return Made(photo, load_attachment(s, photo, with_data=False).filename)


FACTORIES.update({"sale_line": make_sale_line, "claim": make_claim, "claim_photo": make_claim_photo})
# --- conversations with the personal manager -----------------------------------------------------


def make_conversation(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from dealerhub.core.conversations import start_conversation

    subject = f"Question {next(_serial)} of {company.name}"
    with db.transaction() as s:
        conversation = start_conversation(
            s, partner_id=company.partner_id, kind="general", subject=subject,
            author_user_id=company.users["buyer"], body=f"Text of {subject}",
        )
        return Made(conversation.id, subject)


def make_conversation_file(db: Database, company: Company, made: dict[str, Made]) -> Made:
    from dealerhub.core.attachments import store_attachment
    from dealerhub.core.conversations import post_message

    name = f"scan-{next(_serial)}-{company.key}.txt"
    with db.transaction() as s:
        file = store_attachment(
            s, filename=name, data=b"scan", partner_id=company.partner_id, uploaded_by=company.users["buyer"]
        )
        post_message(
            s, made["conversation_id"].id, author_user_id=company.users["buyer"], body="the scan",
            attachment_ids=[file.id],
        )
        return Made(file.id, name)


FACTORIES.update({"conversation": make_conversation, "conversation_file": make_conversation_file})
