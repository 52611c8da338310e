"""Small builders of master data for tests. They insert rows directly; the documents under test
always go through the real use cases."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Brand, Item, ItemGroup, ItemGroupTranslation, ItemTranslation, Unit
from dealerhub.core.catalog.rules import normalize_article
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.partners.rules import inn_check_digits
from dealerhub.core.pricing.models import DealerAgreement, ItemPrice, PriceType
from dealerhub.core.stock.ledger import DocRef, Move, write_stock_moves
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock

_seq = itertools.count(1)


def n() -> int:
    return next(_seq)


def valid_inn(seed: int, *, person: bool = False) -> str:
    prefix = f"77{seed:07d}" if not person else f"500{seed:07d}"
    return prefix + inn_check_digits(prefix)


def unit(s: Session, code: str = "pcs", precision: int = 0) -> Unit:
    u = Unit(code=f"{code}{n()}", names={"ru": "шт", "en": code}, precision=precision)
    s.add(u)
    s.flush()
    return u


def group(s: Session, *, parent: ItemGroup | None = None, use_in_wms: bool = True, name: str = "Filters") -> ItemGroup:
    g = ItemGroup(code=f"G{n()}", parent_id=parent.id if parent else None, use_in_wms=use_in_wms)
    g.translations = [ItemGroupTranslation(lang="ru", name=name), ItemGroupTranslation(lang="en", name=name)]
    s.add(g)
    s.flush()
    return g


def brand(s: Session, name: str | None = None) -> Brand:
    b = Brand(name=name or f"Brand {n()}", country="CN")
    s.add(b)
    s.flush()
    return b


def item(
    s: Session, *, grp: ItemGroup | None = None, u: Unit | None = None, article: str | None = None,
    name: str = "Oil filter", vat_rate: Decimal = Decimal(20),
) -> Item:
    i = n()
    article = article or f"FL-{i:05d}"
    it = Item(
        code=f"I{i:06d}",
        article=article,
        article_key=normalize_article(article),
        group_id=(grp or group(s)).id,
        unit_id=(u or unit(s)).id,
        vat_rate=vat_rate,
    )
    it.translations = [ItemTranslation(lang="ru", name=name), ItemTranslation(lang="en", name=name)]
    s.add(it)
    s.flush()
    return it


def warehouse(s: Session, kind: str = "main", wms_code: str | None = None) -> Warehouse:
    i = n()
    w = Warehouse(code=f"W{i}", name=f"Warehouse {i}", kind=kind, wms_code=wms_code)
    s.add(w)
    s.flush()
    return w


def dealer(s: Session, name: str | None = None, *, supplier: bool = False) -> tuple[Partner, Contractor]:
    i = n()
    p = Partner(name=name or f"Dealer {i}", is_dealer=not supplier, is_supplier=supplier)
    s.add(p)
    s.flush()
    c = Contractor(partner_id=p.id, name=f"LLC {p.name}", inn=valid_inn(i), kpp="770101001", country="RU")
    s.add(c)
    s.flush()
    return p, c


def staff(s: Session, role: str = "sales_manager", login: str | None = None) -> User:
    u = User(login=login or f"user{n()}", password_hash="!", full_name="Test User", role=role)
    s.add(u)
    s.flush()
    return u


def price_type(s: Session, *, base: bool = True, code: str | None = None) -> PriceType:
    pt = PriceType(code=code or f"PT{n()}", name="Dealer price", currency="RUB", is_base=base)
    s.add(pt)
    s.flush()
    return pt


def price(s: Session, it: Item, pt: PriceType, value: str, valid_from: date = date(2020, 1, 1)) -> ItemPrice:
    p = ItemPrice(item_id=it.id, price_type_id=pt.id, price=Decimal(value), currency=pt.currency, valid_from=valid_from)
    s.add(p)
    s.flush()
    return p


def agreement(s: Session, partner: Partner, pt: PriceType, **fields: object) -> DealerAgreement:
    a = DealerAgreement(partner_id=partner.id, number=f"AG-{n()}", price_type_id=pt.id, valid_from=date(2020, 1, 1), **fields)
    s.add(a)
    s.flush()
    return a


def put_stock(s: Session, it: Item, wh: Warehouse, qty: str) -> None:
    """Opening balance for a test, straight onto the ledger."""
    write_stock_moves(s, DocRef("opening_balance", 0), clock.now(), [Move(it.id, wh.id, Decimal(qty))])
