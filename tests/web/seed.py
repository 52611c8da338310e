"""A small, known data set for the page tests: every figure a page shows is one of these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dealerhub.core import catalog, partners, pricing, warehouses
from dealerhub.core.stock import DocRef, Move, write_stock_moves
from dealerhub.shared import clock
from dealerhub.shared.db import Database

D = Decimal
INN = "7707083893"  # a real organisation's INN: the checksum holds


@dataclass(frozen=True)
class Seeded:
    group_id: int
    subgroup_id: int
    filter_id: int
    analogue_id: int
    oil_id: int
    main_id: int
    defect_id: int
    dealer_id: int
    supplier_id: int
    contractor_id: int
    price_type_id: int
    agreement_id: int


def seed(db: Database, user_id: int | None = None) -> Seeded:
    with db.transaction() as s:
        pcs = catalog.create_unit(
            s, user_id=user_id, code="pcs", names={"ru": "шт", "en": "pcs"}, precision=0
        )
        litre = catalog.create_unit(s, user_id=user_id, code="l", names={"ru": "л", "en": "l"}, precision=3)
        brand = catalog.create_brand(s, user_id=user_id, name="Zoomlion", country="CN")
        model = catalog.create_machine_model(
            s, user_id=user_id, brand_id=brand.id, name="ZE215E", machine_type="excavator"
        )
        parts = catalog.create_group(
            s, user_id=user_id, code="PARTS", names={"ru": "Запчасти", "en": "Spare parts"}, use_in_wms=True
        )
        filters = catalog.create_group(
            s,
            user_id=user_id,
            code="FILTERS",
            names={"ru": "Фильтры", "en": "Filters"},
            parent_id=parts.id,
            use_in_wms=True,
        )
        oil_filter = catalog.create_item(
            s,
            user_id=user_id,
            code="I-0001",
            article="FL-100.20",
            group_id=filters.id,
            unit_id=pcs.id,
            names={"ru": "Фильтр масляный", "en": "Oil filter"},
            brand_id=brand.id,
        )
        analogue = catalog.create_item(
            s,
            user_id=user_id,
            code="I-0002",
            article="FL-100.21",
            group_id=filters.id,
            unit_id=pcs.id,
            names={"ru": "Фильтр масляный усиленный", "en": "Heavy-duty oil filter"},
            brand_id=brand.id,
        )
        oil = catalog.create_item(
            s,
            user_id=user_id,
            code="I-0003",
            article="OIL-15W40",
            group_id=parts.id,
            unit_id=litre.id,
            names={"ru": "Масло моторное", "en": "Engine oil"},
            kind="fluid",
        )
        catalog.add_oem_number(s, oil_filter.id, user_id=user_id, number="600-211-1340", maker="Komatsu")
        catalog.add_barcode(s, oil_filter.id, user_id=user_id, barcode="4006381333931")
        catalog.link_analogues(s, oil_filter.id, analogue.id, user_id=user_id, two_way=True)
        catalog.set_applicability(s, oil_filter.id, user_id=user_id, machine_model_ids=[model.id])
        main = warehouses.create_warehouse(
            s, user_id=user_id, code="MSK", name="Moscow main", kind="main", wms_code="WMS-MSK"
        )
        defect = warehouses.create_warehouse(s, user_id=user_id, code="DEF", name="Defects", kind="defect")
        price_type = pricing.create_price_type(
            s, user_id=user_id, code="BASE", name="Base price", is_base=True
        )
        pricing.set_item_price(
            s,
            user_id=user_id,
            item_id=oil_filter.id,
            price_type_id=price_type.id,
            price=D("1234.50"),
            valid_from=date(2020, 1, 1),
        )
        dealer = partners.create_partner(
            s, user_id=user_id, name="Stroytech Dealer", is_dealer=True, region="Kazan"
        )
        contractor = partners.add_contractor(
            s, dealer.id, user_id=user_id, name="LLC Stroytech", inn=INN, kpp="773601001"
        )
        partners.add_bank_account(
            s,
            contractor.id,
            user_id=user_id,
            bank_name="Sberbank",
            bik="044525225",
            account_number="40702810938000000001",
            correspondent_account="30101810400000000225",
        )
        supplier = partners.create_partner(
            s, user_id=user_id, name="Zoomlion Heavy Industry", is_supplier=True
        )
        agreement = pricing.create_agreement(
            s,
            user_id=user_id,
            partner_id=dealer.id,
            number="AG-2024-001",
            price_type_id=price_type.id,
            valid_from=date(2024, 1, 1),
            credit_limit=D("500000"),
            warehouse_ids=[main.id],
            discounts=[pricing.DiscountInput("all", D("5"))],
        )
        now = clock.now()
        write_stock_moves(
            s,
            DocRef("opening_balance", 1),
            now,
            [
                Move(oil_filter.id, main.id, D(12)),
                Move(oil.id, main.id, D("200.5")),
                Move(oil_filter.id, defect.id, D(3)),
            ],
        )
        return Seeded(
            group_id=parts.id,
            subgroup_id=filters.id,
            filter_id=oil_filter.id,
            analogue_id=analogue.id,
            oil_id=oil.id,
            main_id=main.id,
            defect_id=defect.id,
            dealer_id=dealer.id,
            supplier_id=supplier.id,
            contractor_id=contractor.id,
            price_type_id=price_type.id,
            agreement_id=agreement.id,
        )
