"""`dealerhub demo seed`: a believable distributor in an empty core database.

Deterministic for a given seed: every random choice comes from random.Random streams derived from
it, and every date from the fixed anchor in timeline.py. Master data is bulk-inserted in one
transaction; stock and history go through the real document use cases.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.demo import (
    bonus_programs,
    catalog_writer,
    claims_history,
    conversations,
    golive,
    partners_writer,
    payments,
    purchase_history,
    sales_history,
)
from dealerhub.core.demo.catalog_plan import plan_catalog
from dealerhub.core.demo.opening_stock import plan_opening_stock, post_opening_stock
from dealerhub.core.demo.own_company import seed_own_company
from dealerhub.core.demo.partner_words import STAFF
from dealerhub.core.demo.timeline import OPENING_DAYS_BEFORE, NoProgress, Progress, at, day, set_time
from dealerhub.core.partners.models import Partner
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from dealerhub.shared.db import Database

ITEM_BATCH = 2000
# What the seed fills in bulk and searches read: their statistics and indexes are tidied at the end.
CATALOG_TABLES = ("items", "item_translations", "item_name_words", "item_oem_numbers", "item_analogues", "item_prices")
ORDERS_PER_DEALER = 4


@dataclass(frozen=True)
class SeedOptions:
    seed: int = 42
    items: int = 5000
    dealers: int = 40


@dataclass
class SeedSummary:
    items: int = 0
    dealers: int = 0
    suppliers: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    # (login, password, role) of the staff users
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    dealer_password: str = partners_writer.DEALER_PASSWORD
    # what became of the dealers' orders: closed, approved, rejected ...
    order_fates: dict[str, int] = field(default_factory=dict)
    # the warehouses that went live with the WMS at the end of the history
    wms_warehouses: list[golive.WmsWarehouse] = field(default_factory=list)
    # what became of the dealers' claims: submitted, in review, rejected, resolved by repair ...
    claim_fates: dict[str, int] = field(default_factory=dict)


def database_is_empty(s: Session) -> bool:
    """True when the core holds no items, users, partners or warehouses yet."""
    return not any(
        s.scalar(select(exists().select_from(table))) for table in (Item, User, Partner, Warehouse)
    )


def seed_demo(
    database: Database, options: SeedOptions = SeedOptions(), progress: Progress | None = None
) -> SeedSummary:
    """Fill an empty core database with the demo distributor. Leaves the clock unfrozen afterwards."""
    progress = progress or NoProgress()
    try:
        catalog, partners = _master_data(database, options, progress)
        documents = _stock_history(database, options, catalog, partners, progress)
        fates = _dealer_orders(database, options, catalog, partners, progress)
        documents["incoming payments"] = payments.post_payments(
            database, _rng(options, "payments"), partners.staff["manager"], progress
        )
        claim_fates = claims_history.post_claims(
            database, _rng(options, "claims"), partners.staff["manager"], partners.warehouses["DEFECT"], progress
        )
        documents["bonus ledger entries"] = bonus_programs.accrue(database, partners)
        talks = conversations.write_conversations(database, _rng(options, "conversations"))
        with database.transaction() as s:  # the history was kept without a WMS; now it goes live
            wms_warehouses = golive.give_wms_codes(s, user_id=partners.staff["admin"])
        database.after_bulk_load(CATALOG_TABLES)
    finally:
        clock.freeze(None)
    documents["customer orders"] = sum(fates.values())
    documents["claims"] = sum(claim_fates.values())
    documents["conversations with managers"] = talks
    return SeedSummary(
        items=len(catalog.items),
        dealers=len(partners.dealers),
        suppliers=len(partners.suppliers),
        documents=documents,
        logins=[(login, password, role) for login, password, role, _name, _email in STAFF],
        order_fates=dict(sorted(fates.items())),
        wms_warehouses=wms_warehouses,
        claim_fates=dict(sorted(claim_fates.items())),
    )


def _master_data(
    database: Database, options: SeedOptions, progress: Progress
) -> tuple[catalog_writer.CatalogRefs, partners_writer.PartnerRefs]:
    """Catalog, prices, warehouses, staff, suppliers and dealers in one transaction: all or nothing."""
    set_time(at(OPENING_DAYS_BEFORE + 30, hour=9))
    with database.transaction() as s:
        catalog = catalog_writer.write_reference_data(s, prices_from=day(365))
        seed_own_company(s)
        partners = partners_writer.PartnerRefs(
            warehouses=partners_writer.write_warehouses(s), staff=partners_writer.write_staff(s)
        )
        partners.suppliers = partners_writer.write_suppliers(s)
        partners_writer.write_dealers(
            s, _rng(options, "dealers"), options.dealers, partners, catalog, day(365)
        )
        bonus_programs.write_programs(s, catalog, partners, partners.staff["manager"])
        progress.phase("catalog and prices", options.items)
        specs = plan_catalog(_rng(options, "catalog"), options.items)
        while batch := list(islice(specs, ITEM_BATCH)):
            catalog_writer.write_items(s, catalog, batch)
            progress.advance(len(batch))
    return catalog, partners


def _stock_history(
    database: Database,
    options: SeedOptions,
    catalog: catalog_writer.CatalogRefs,
    partners: partners_writer.PartnerRefs,
    progress: Progress,
) -> dict[str, int]:
    """Opening balances, then transfers and a write-off, then purchases; returns document counts."""
    opening = plan_opening_stock(_rng(options, "stock"), catalog)
    documents = {
        "opening balances": post_opening_stock(
            database, opening, partners.warehouses, partners.staff["admin"], progress
        ),
        "transfers and write-offs": purchase_history.post_warehouse_moves(
            database, _rng(options, "warehouse"), opening, partners, partners.staff["storekeeper"]
        ),
    }
    purchases = purchase_history.post_purchases(
        database,
        _rng(options, "purchases"),
        max(4, options.dealers // 3),
        catalog,
        partners,
        partners.staff["purchaser"],
        progress,
    )
    documents["supplier orders"] = purchases.supplier_orders
    documents["goods receipts"] = purchases.goods_receipts
    return documents


def _dealer_orders(
    database: Database,
    options: SeedOptions,
    catalog: catalog_writer.CatalogRefs,
    partners: partners_writer.PartnerRefs,
    progress: Progress,
) -> Counter[str]:
    actors = sales_history.Actors(
        manager=partners.staff["manager"], storekeeper=partners.staff["storekeeper"]
    )
    count = options.dealers * ORDERS_PER_DEALER
    return sales_history.post_orders(
        database, _rng(options, "orders"), count, catalog, partners, actors, progress
    )


def _rng(options: SeedOptions, stream: str) -> random.Random:
    """An independent random stream per part, so more dealers don't change the catalog and vice versa."""
    return random.Random(f"dealerhub-demo:{options.seed}:{stream}")
