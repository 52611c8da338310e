"""The demo seed on a real database (SQLite and PostgreSQL): exact counts, valid identifiers,
consistent registers, and the same data for the same seed."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub import migrations
from dealerhub.core import bonus
from dealerhub.core.accounts import verify_password
from dealerhub.core.accounts.models import User
from dealerhub.core.bonus.models import BonusEntry
from dealerhub.core.catalog.models import (
    Barcode,
    Brand,
    Item,
    ItemAnalogue,
    ItemGroup,
    ItemOemNumber,
    ItemTranslation,
    MachineModel,
    Unit,
)
from dealerhub.core.claims.models import Claim
from dealerhub.core.demo import SeedOptions, catalog_words, database_is_empty, partner_words, seed_demo
from dealerhub.core.demo.catalog_plan import plan_catalog
from dealerhub.core.demo.timeline import at
from dealerhub.core.inventory.models import StockCorrection, Transfer
from dealerhub.core.partners import rules
from dealerhub.core.partners.models import BankAccount, Contractor, Partner
from dealerhub.core.pricing.models import AgreementWarehouse, DealerAgreement, ItemPrice, PriceType
from dealerhub.core.purchasing.models import GoodsReceipt, SupplierOrder
from dealerhub.core.sales.models import CustomerOrder, CustomerReturn, Sale
from dealerhub.core.stock import find_differences
from dealerhub.core.stock.models import Reservation, StockBalance, StockMove
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.conftest import BACKENDS, drop_pg_database, pg_database_url, require_postgres

SMALL = SeedOptions(seed=7, items=200, dealers=3)
DOCUMENT_TYPES = {"stock_correction", "transfer", "goods_receipt", "sale", "customer_return"}


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(backend, id=backend, marks=[pytest.mark.postgresql] if backend == "postgresql" else [])
        for backend in BACKENDS
    ],
)
def seeded(request, tmp_path_factory):
    """One small demo per backend for the whole module: the tests below only read it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'core.sqlite3'}"
    else:
        require_postgres()
        url = pg_database_url("demo_seed")
    migrations.upgrade("core", url)
    database = Database(url)
    seed_demo(database, SMALL)
    yield database
    database.dispose()
    if request.param == "postgresql":
        drop_pg_database(url)


def _count(s, model):
    return s.scalar(select(func.count()).select_from(model))


def _planned():
    return list(plan_catalog(random.Random(f"dealerhub-demo:{SMALL.seed}:catalog"), SMALL.items))


def test_master_data_counts(seeded):
    planned = _planned()
    with seeded.session() as s:
        assert {
            m.__name__: _count(s, m)
            for m in (
                Item,
                ItemTranslation,
                Unit,
                Brand,
                ItemGroup,
                MachineModel,
                PriceType,
                ItemPrice,
                Barcode,
                Warehouse,
                Partner,
                DealerAgreement,
                User,
            )
        } == {
            "Item": 200,
            "ItemTranslation": 600,
            "Unit": 5,
            "Brand": 1 + len(catalog_words.AFTERMARKET_BRANDS),
            "ItemGroup": len(catalog_words.GROUPS),
            "MachineModel": len(catalog_words.MACHINE_MODELS),
            "PriceType": 4,
            "ItemPrice": 800,
            "Barcode": sum(1 for p in planned if p.use_in_wms),
            "Warehouse": 7,
            "Partner": 3 + len(partner_words.SUPPLIERS),
            "DealerAgreement": 3,
            "User": len(partner_words.STAFF) + 3,
        }
        assert Counter(s.scalars(select(Item.kind))) == Counter(p.kind for p in planned)
        assert _count(s, ItemAnalogue) == sum(
            2 if p.two_way else 1 for p in planned if p.analogue_of is not None
        )
        assert _count(s, ItemOemNumber) == sum(len({n for n, _m in p.oem_numbers}) for p in planned)
        assert s.execute(
            select(Warehouse.code, Warehouse.kind, Warehouse.wms_code).order_by(Warehouse.id)
        ).all() == [
            ("MSK", "main", "MSK01"),
            ("EKB", "regional", "EKB01"),
            ("NSK", "regional", "NSK01"),
            ("KRD", "regional", "KRD01"),
            ("TRANSIT", "transit", None),
            ("DEFECT", "defect", None),
            ("LOSS", "loss", None),
        ]


def test_every_item_has_names_in_three_languages_and_four_prices(seeded):
    with seeded.session() as s:
        langs = Counter(s.scalars(select(ItemTranslation.lang)))
        prices = set(s.execute(select(ItemPrice.item_id, func.count()).group_by(ItemPrice.item_id)))
        item_ids = set(s.scalars(select(Item.id)))
    assert langs == {"ru": 200, "en": 200, "zh": 200}
    assert prices == {(item_id, 4) for item_id in item_ids}


def test_legal_entities_have_valid_identifiers(seeded):
    with seeded.session() as s:
        dealers = s.scalars(select(Contractor).join(Partner).where(Partner.is_dealer)).all()
        suppliers = s.scalars(select(Contractor).join(Partner).where(Partner.is_supplier)).all()
        accounts = s.scalars(select(BankAccount)).all()
        contractors_per_dealer = Counter(c.partner_id for c in dealers)
    assert {c.country for c in suppliers} == {"CN"} and len(suppliers) == len(partner_words.SUPPLIERS)
    assert set(contractors_per_dealer.values()) <= {1, 2, 3} and len(contractors_per_dealer) == 3
    for c in dealers:
        rules.validate_contractor_ids(inn=c.inn, kpp=c.kpp, ogrn=c.ogrn, country=c.country)
        assert c.country == "RU" and (len(c.inn) == 10) == (c.kpp is not None)
    assert len(accounts) == len(dealers)
    for a in accounts:
        rules.validate_bank_account(
            bik=a.bik, account_number=a.account_number, correspondent_account=a.correspondent_account
        )


def test_staff_log_in_with_the_documented_passwords(seeded):
    with seeded.session() as s:
        users = {u.login: u for u in s.scalars(select(User))}
    for login, password, role, _name, _email in partner_words.STAFF:
        assert users[login].role == role and users[login].partner_id is None
        assert verify_password(users[login].password_hash, password)
    dealer_users = [u for u in users.values() if u.partner_id is not None]
    assert len(dealer_users) == 3 and all(verify_password(u.password_hash, "dealer") for u in dealer_users)


def test_agreements_name_open_priority_warehouses(seeded):
    with seeded.session() as s:
        rows = s.execute(
            select(AgreementWarehouse.agreement_id, AgreementWarehouse.priority, Warehouse.kind)
            .join(Warehouse)
            .order_by(AgreementWarehouse.agreement_id, AgreementWarehouse.priority)
        ).all()
    assert {agreement for agreement, _p, _k in rows} == {1, 2, 3}
    assert {kind for _a, _p, kind in rows} <= {"main", "regional"}


def test_stock_comes_from_posted_documents_and_agrees_with_balances(seeded):
    with seeded.session() as s:
        assert find_differences(s) == []
        assert set(s.scalars(select(StockMove.document_type).distinct())) <= DOCUMENT_TYPES
        assert s.scalar(select(func.count()).where(StockBalance.on_hand < StockBalance.reserved)) == 0
        assert set(s.scalars(select(StockCorrection.status))) == {"posted"}
        assert set(s.scalars(select(Transfer.status))) == {"posted"}
        assert set(s.scalars(select(GoodsReceipt.status))) == {"posted"}
        assert _count(s, SupplierOrder) == 4 and _count(s, GoodsReceipt) >= 1
        # Goods were moved to the defect warehouse (closed for sale) and nothing was sold from it.
        defect = s.scalar(select(Warehouse.id).where(Warehouse.code == "DEFECT"))
        assert s.scalar(select(func.sum(StockBalance.on_hand)).where(StockBalance.warehouse_id == defect)) > 0


def test_orders_hold_exactly_what_their_reservations_say(seeded):
    with seeded.session() as s:
        statuses = Counter(s.scalars(select(CustomerOrder.status)))
        reserved = s.scalar(select(func.sum(StockBalance.reserved))) or Decimal(0)
        held = s.scalar(select(func.sum(Reservation.quantity))) or Decimal(0)
        holding = set(
            s.scalars(
                select(CustomerOrder.status)
                .join(Reservation, Reservation.holder_id == CustomerOrder.id)
                .where(Reservation.holder_type == "customer_order", Reservation.quantity > 0)
            )
        )
        sales = _count(s, Sale)
        replacements = s.scalar(select(func.count()).where(Claim.replacement_order_id.is_not(None)))
    assert sum(statuses.values()) == 12 + replacements and set(statuses) <= {
        "draft",
        "submitted",
        "awaiting_moderation",
        "approved",
        "picking",
        "partially_shipped",
        "shipped",
        "closed",
        "cancelled",
    }
    assert reserved == held
    assert holding <= {"approved", "picking", "partially_shipped"}
    assert sales >= 1


def test_a_seeded_database_is_not_empty(core_db, seeded):
    with core_db.session() as s:
        assert database_is_empty(s)
    with seeded.session() as s:
        assert not database_is_empty(s)


def _fingerprint(database: Database) -> dict[str, list]:
    """Everything the seed made that a reader sees, by natural keys (ids may differ between servers)."""
    with database.session() as s:
        items = dict(s.execute(select(Item.id, Item.code)).all())
        return {
            "items": sorted(s.execute(select(Item.code, Item.article, Item.kind, Item.weight_kg))),
            "names": sorted(
                (items[i], lang, name)
                for i, lang, name in s.execute(
                    select(ItemTranslation.item_id, ItemTranslation.lang, ItemTranslation.name)
                )
            ),
            "prices": sorted(
                (items[i], pt, p)
                for i, pt, p in s.execute(select(ItemPrice.item_id, ItemPrice.price_type_id, ItemPrice.price))
            ),
            "analogues": sorted(
                (items[a], items[b], w)
                for a, b, w in s.execute(
                    select(ItemAnalogue.item_id, ItemAnalogue.analogue_id, ItemAnalogue.two_way)
                )
            ),
            "contractors": sorted(
                s.execute(select(Contractor.name, Contractor.inn, Contractor.kpp)), key=str
            ),
            "balances": sorted(
                (items[i], w, q, r)
                for i, w, q, r in s.execute(
                    select(
                        StockBalance.item_id,
                        StockBalance.warehouse_id,
                        StockBalance.on_hand,
                        StockBalance.reserved,
                    )
                )
            ),
            "orders": sorted(
                s.execute(select(CustomerOrder.number, CustomerOrder.status, CustomerOrder.doc_date))
            ),
        }


def _seed_sqlite(tmp_path, name, options):
    url = f"sqlite:///{tmp_path / name}"
    migrations.upgrade("core", url)
    database = Database(url)
    seed_demo(database, options)
    return database


@pytest.fixture(scope="module")
def seeded_again(tmp_path_factory):
    database = _seed_sqlite(tmp_path_factory.mktemp("again"), "core.sqlite3", SMALL)
    yield database
    database.dispose()


def test_the_same_seed_gives_the_same_data_on_any_database(seeded, seeded_again):
    assert _fingerprint(seeded_again) == _fingerprint(seeded)


def test_another_seed_gives_another_catalog(tmp_path):
    first = _seed_sqlite(tmp_path, "a.sqlite3", SeedOptions(seed=1, items=60, dealers=1))
    second = _seed_sqlite(tmp_path, "b.sqlite3", SeedOptions(seed=2, items=60, dealers=1))
    try:
        a, b = _fingerprint(first), _fingerprint(second)
        assert a["names"] != b["names"] and a["prices"] != b["prices"]
    finally:
        first.dispose()
        second.dispose()


def test_settlements_follow_the_posted_documents(seeded):
    """Dealers paid for much of what they bought: every legal entity's balance is exactly its posted
    sales minus its posted returns and payments, and the invoices paid in full say so."""

    from dealerhub.core import printouts, settlements
    from dealerhub.core.company import get_own_company
    from dealerhub.core.sales.models import CustomerReturn, CustomerReturnLine, Sale, SaleLine
    from dealerhub.core.settlements.models import IncomingPayment

    def per_contractor(s, amount, doc, join_on):
        rows = s.execute(
            select(doc.contractor_id, func.sum(amount)).join(doc, join_on).where(doc.status == "posted")
            .group_by(doc.contractor_id)
        )
        return {cid: Decimal(total) for cid, total in rows}

    with seeded.session() as s:
        assert get_own_company(s).inn == "7704123450"
        sold = per_contractor(s, SaleLine.amount, Sale, SaleLine.sale_id == Sale.id)
        returned = per_contractor(
            s, CustomerReturnLine.amount, CustomerReturn, CustomerReturnLine.return_id == CustomerReturn.id
        )
        paid = {
            cid: Decimal(total)
            for cid, total in s.execute(
                select(IncomingPayment.contractor_id, func.sum(IncomingPayment.amount))
                .where(IncomingPayment.status == "posted")
                .group_by(IncomingPayment.contractor_id)
            )
        }
        assert paid and sold
        for cid in set(sold) | set(paid):
            expected = sold.get(cid, 0) - returned.get(cid, 0) - paid.get(cid, 0)
            assert settlements.contractor_balance(s, cid) == expected
        statuses = {
            inv.status
            for partner_id in {p.id for p in s.scalars(select(Partner).where(Partner.is_dealer))}
            for inv in printouts.dealer_invoices(s, partner_id)
        }
        assert "paid" in statuses and "unpaid" in statuses


def test_claims_in_every_state_a_manager_meets(seeded):
    with seeded.session() as s:
        rows = s.execute(select(Claim.status, Claim.resolution, Claim.customer_return_id, Claim.replacement_order_id)
                         .order_by(Claim.id)).all()
        assert sorted((status, resolution) for status, resolution, _, _ in rows) == sorted([
            ("submitted", None), ("in_review", None), ("approved", "replacement"), ("rejected", None),
            ("resolved", "repair"), ("resolved", "credit"), ("resolved", "replacement"),
        ])
        returns = {r.id: r.status for r in s.scalars(select(CustomerReturn).where(
            CustomerReturn.id.in_([r[2] for r in rows if r[2]])))}
        assert sorted(returns.values()) == ["draft", "posted"]  # on its way back; credited
        orders = [r[3] for r in rows if r[3]]
        assert [s.get(CustomerOrder, i).status for i in orders] == ["submitted"]


def test_bonus_programs_and_the_ledger_agree_with_the_posted_sales(seeded):
    with seeded.transaction() as s:
        programs = {p.code: p.kind for p in bonus.list_programs(s)}
        assert programs == {"SP-QUARTER": "turnover", "FL-KEY-5": "discount", "SPRING-HAM": "promotion"}
        entries = s.execute(select(BonusEntry.kind, BonusEntry.period_start)).all()
        assert entries and {kind for kind, _ in entries} == {"accrual"}
        dealers = list(s.scalars(select(Partner.id).where(Partner.is_dealer)))
        clock.freeze(at(0, hour=3))
        try:
            assert bonus.reconcile(s, dealers) == []  # the demo's ledger is what the posted sales say
        finally:
            clock.freeze(None)


def test_managers_have_profiles_and_dealers_wrote_to_them(seeded):
    from dealerhub.core.accounts.staff_profiles import StaffProfile
    from dealerhub.core.attachments.models import Attachment
    from dealerhub.core.conversations import Conversation, ConversationMessage, Viewer, unread_count
    from dealerhub.core.demo.conversations import MANAGERS

    with seeded.session() as s:
        staff = dict(s.execute(select(User.login, User.id).where(User.partner_id.is_(None))).all())
        profiles = {
            p.user_id: (p.working_hours, s.get(User, p.user_id).phone, s.get(Attachment, p.photo_attachment_id).content_type)
            for p in s.scalars(select(StaffProfile))
        }
        assert profiles == {staff[login]: (hours, phone, "image/png") for login, (phone, hours, _c) in MANAGERS.items()}
        managers = s.execute(select(DealerAgreement.personal_manager_id).order_by(DealerAgreement.id)).scalars().all()
        assert managers == [staff["manager"], staff["manager2"], staff["manager"]]
        general = s.scalars(select(Conversation).where(Conversation.kind == "general").order_by(Conversation.id)).all()
        assert len(general) == 3 and len({c.partner_id for c in general}) == 3
        sides = [
            s.scalars(select(ConversationMessage.side).where(ConversationMessage.conversation_id == c.id).order_by(ConversationMessage.id)).all()
            for c in general
        ]
        assert sides == [["dealer", "staff"], ["dealer", "staff"], ["dealer"]]  # the third is still unanswered
        for c in s.scalars(select(Conversation).where(Conversation.kind == "order")):
            assert s.get(CustomerOrder, c.customer_order_id).partner_id == c.partner_id
        # the manager of dealers 1 and 3 has two conversations to read: dealer 3's question and the
        # claim still submitted (its description and photos, no decision yet); the other manager none
        submitted = s.scalars(select(Claim.conversation_id).where(Claim.status == "submitted")).all()
        assert len(submitted) == 1
        assert unread_count(s, Viewer(staff["manager"], None, "sales_manager")) == 2
        assert unread_count(s, Viewer(staff["manager2"], None, "sales_manager")) == 0
