"""Warehouses, staff, dealers (with contractors, bank accounts, users and agreements) and the
Chinese suppliers of the demo, inserted in bulk into a fresh database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import hash_password
from dealerhub.core.accounts.models import User
from dealerhub.core.demo import catalog_words as cw
from dealerhub.core.demo import identifiers as ids
from dealerhub.core.demo import partner_words as w
from dealerhub.core.demo.catalog_writer import CatalogRefs
from dealerhub.core.partners.models import BankAccount, Contractor, Partner
from dealerhub.core.pricing.models import AgreementDiscount, AgreementWarehouse, DealerAgreement
from dealerhub.core.warehouses.models import Warehouse

DEALER_PASSWORD = "dealer"
DEALER_ROLE = "owner"  # each demo dealer's one user owns its company's cabinet


@dataclass
class DealerRef:
    partner_id: int
    name: str
    contractor_ids: list[int]
    agreement_id: int
    warehouse_ids: list[int]  # priority order


@dataclass
class PartnerRefs:
    warehouses: dict[str, int]
    staff: dict[str, int]
    dealers: list[DealerRef] = field(default_factory=list)
    suppliers: list[tuple[int, int]] = field(default_factory=list)  # (partner id, contractor id)


@lru_cache(maxsize=16)
def demo_hash(password: str) -> str:
    """Argon2id hash of a demo password. Made once per process: the demo passwords are public anyway,
    and hashing is deliberately slow (seeding several databases in a test run would pay for it each time)."""
    return hash_password(password)


def write_warehouses(s: Session) -> dict[str, int]:
    s.execute(
        insert(Warehouse),
        [
            # No WMS codes yet: the history is kept before the WMS goes live (golive.py gives them).
            {"code": code, "name": name, "kind": kind, "wms_code": None, "address": address, "is_active": True}
            for code, name, kind, _wms, address in w.WAREHOUSES
        ],
    )
    return dict(s.execute(select(Warehouse.code, Warehouse.id)).all())


def write_staff(s: Session) -> dict[str, int]:
    """The staff users with their documented demo passwords (hashed with the accounts' Argon2id)."""
    s.execute(
        insert(User),
        [
            {
                "login": login,
                "password_hash": demo_hash(password),
                "full_name": full_name,
                "role": role,
                "email": email,
                "language": "ru",
                "is_active": True,
            }
            for login, password, role, full_name, email in w.STAFF
        ],
    )
    return dict(s.execute(select(User.login, User.id).where(User.partner_id.is_(None))).all())


def write_suppliers(s: Session) -> list[tuple[int, int]]:
    result = []
    for name, legal_name, address in w.SUPPLIERS:
        partner_id = _insert_id(
            s,
            Partner,
            {
                "name": name,
                "is_dealer": False,
                "is_supplier": True,
                "region": "Китай",
                "email": f"sales@{name.split()[0].lower()}.example",
                "is_active": True,
            },
        )
        contractor_id = _insert_id(
            s,
            Contractor,
            {
                "partner_id": partner_id,
                "name": legal_name,
                "inn": None,
                "kpp": None,
                "country": "CN",
                "legal_address": address,
                "postal_address": address,
                "is_active": True,
            },
        )
        result.append((partner_id, contractor_id))
    return result


def write_dealers(
    s: Session, rng: random.Random, count: int, refs: PartnerRefs, catalog: CatalogRefs, since: date
) -> None:
    """`count` dealers, each with 1-3 contractors, a bank account per contractor, a user and an agreement."""
    dealer_hash = demo_hash(DEALER_PASSWORD)
    for k, name in enumerate(_dealer_names(rng, count)):
        region, city, tax_region, nearest = rng.choice(w.REGIONS)
        partner_id = _insert_id(
            s,
            Partner,
            {
                "name": name,
                "is_dealer": True,
                "is_supplier": False,
                "region": region,
                "email": f"dealer{k + 1:03d}@dealers.example",
                "phone": _phone(rng),
                "is_active": True,
            },
        )
        contractor_ids = [
            _write_contractor(
                s, rng, partner_id, legal_name, tax_region, city, entrepreneur=legal_name.startswith("ИП")
            )
            for legal_name in _legal_names(rng, name)
        ]
        s.execute(
            insert(User),
            [
                {
                    "login": f"dealer{k + 1:03d}",
                    "password_hash": dealer_hash,
                    "full_name": f"{_person(rng)} ({name})",
                    "role": DEALER_ROLE,
                    "partner_id": partner_id,
                    "language": "ru",
                    "is_active": True,
                    "email": f"buyer{k + 1:03d}@dealers.example",
                }
            ],
        )
        warehouse_ids = _priority_warehouses(rng, refs.warehouses, nearest)
        agreement_id = _write_agreement(s, rng, k, partner_id, refs, warehouse_ids, catalog, since)
        refs.dealers.append(DealerRef(partner_id, name, contractor_ids, agreement_id, warehouse_ids))


def _write_contractor(
    s: Session,
    rng: random.Random,
    partner_id: int,
    legal_name: str,
    tax_region: str,
    city: str,
    *,
    entrepreneur: bool,
) -> int:
    year = rng.randint(2005, 2022)
    address = f"{rng.randint(100000, 699999)}, г. {city}, {rng.choice(w.STREETS)}, д. {rng.randint(1, 150)}"
    contractor_id = _insert_id(
        s,
        Contractor,
        {
            "partner_id": partner_id,
            "name": legal_name,
            "country": "RU",
            "inn": ids.entrepreneur_inn(rng, tax_region)
            if entrepreneur
            else ids.organisation_inn(rng, tax_region),
            "kpp": None if entrepreneur else ids.kpp(rng, tax_region),
            "ogrn": ids.ogrnip(rng, tax_region, year) if entrepreneur else ids.ogrn(rng, tax_region, year),
            "legal_address": address,
            "postal_address": address,
            "is_active": True,
        },
    )
    bank_name, bik = rng.choice(w.BANKS)
    s.execute(
        insert(BankAccount),
        [
            {
                "contractor_id": contractor_id,
                "bank_name": bank_name,
                "bik": bik,
                "correspondent_account": ids.correspondent_account(bik),
                "account_number": ids.settlement_account(rng, bik, entrepreneur=entrepreneur),
                "currency": "RUB",
                "is_default": True,
            }
        ],
    )
    return contractor_id


def _write_agreement(
    s: Session,
    rng: random.Random,
    k: int,
    partner_id: int,
    refs: PartnerRefs,
    warehouse_ids: list[int],
    catalog: CatalogRefs,
    since: date,
) -> int:
    price_type = rng.choices(["dealer_1", "dealer_2", "dealer_3"], weights=[1, 3, 4])[0]
    agreement_id = _insert_id(
        s,
        DealerAgreement,
        {
            "partner_id": partner_id,
            "number": f"ДД-{since.year}-{k + 1:03d}",
            "price_type_id": catalog.price_types[price_type],
            "credit_limit": Decimal(rng.choice([0, 500_000, 1_000_000, 3_000_000, 5_000_000])),
            "credit_currency": "RUB",
            "reservation_hours": rng.choice([48, 72, 72, 120]),
            # the dealers are shared between the two sales managers
            "personal_manager_id": refs.staff["manager" if k % 2 == 0 else "manager2"],
            "valid_from": since,
            "valid_to": None,
            "is_active": True,
        },
    )
    s.execute(
        insert(AgreementWarehouse),
        [
            {"agreement_id": agreement_id, "warehouse_id": warehouse_id, "priority": priority}
            for priority, warehouse_id in enumerate(warehouse_ids, start=1)
        ],
    )
    discounts = []
    if rng.random() < 0.5:
        discounts.append(
            {
                "scope": "group",
                "group_id": catalog.groups[rng.choice(["SP-HYD", "SP-ENG", "FL", "SP-UC"])],
                "percent": Decimal(rng.randint(2, 7)),
            }
        )
    if rng.random() < 0.3:
        brand = rng.choice(cw.AFTERMARKET_BRANDS)[0]
        discounts.append(
            {"scope": "brand", "brand_id": catalog.brands[brand], "percent": Decimal(rng.randint(3, 10))}
        )
    if discounts:
        s.execute(insert(AgreementDiscount), [{"agreement_id": agreement_id, **d} for d in discounts])
    return agreement_id


def _priority_warehouses(rng: random.Random, warehouses: dict[str, int], nearest: str) -> list[int]:
    order = [nearest] + (["MSK"] if nearest != "MSK" else [])
    others = [code for code in ("EKB", "NSK", "KRD") if code not in order]
    if rng.random() < 0.4:
        order.append(rng.choice(others))
    return [warehouses[code] for code in order]


def _dealer_names(rng: random.Random, count: int) -> list[str]:
    names = [stem + ending for stem in w.DEALER_STEMS for ending in w.DEALER_ENDINGS]
    rng.shuffle(names)
    return [
        names[k % len(names)] + (f"-{k // len(names) + 1}" if k >= len(names) else "") for k in range(count)
    ]


def _legal_names(rng: random.Random, dealer: str) -> list[str]:
    names = [f"ООО «{dealer}»"]
    for _ in range(rng.choices([0, 1, 2], weights=[5, 3, 2])[0]):
        if rng.random() < 0.3:
            names.append(f"ИП {_person(rng)}")
        else:
            suffix = rng.choice([x for x in w.LEGAL_SUFFIXES if x and f"ООО «{dealer}{x}»" not in names])
            names.append(f"ООО «{dealer}{suffix}»")
    return names


def _person(rng: random.Random) -> str:
    return f"{rng.choice(w.SURNAMES)} {rng.choice(w.FIRST_NAMES)} {rng.choice(w.PATRONYMICS)}"


def _phone(rng: random.Random) -> str:
    return f"+7 ({rng.randint(900, 999)}) {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def _insert_id(s: Session, model: type, values: dict) -> int:
    return s.execute(insert(model).values(**values).returning(model.id)).scalar_one()
