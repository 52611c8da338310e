"""Inserting the planned catalog: reference data first, then items in batches with everything that
hangs off them (names, OEM numbers, analogues, applicability, properties, barcodes, prices).

Master data of a fresh database is loaded with SQLAlchemy Core bulk inserts for speed; stock and
documents never are (they go through the real use cases).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import (
    Barcode,
    Brand,
    Item,
    ItemAnalogue,
    ItemApplicability,
    ItemGroup,
    ItemGroupTranslation,
    ItemOemNumber,
    ItemPackaging,
    ItemPropertyValue,
    ItemTranslation,
    MachineModel,
    Property,
    Unit,
)
from dealerhub.core.catalog.rules import normalize_article
from dealerhub.core.demo import catalog_words as w
from dealerhub.core.demo.catalog_plan import CENT, ItemSpec
from dealerhub.core.demo.partner_words import PRICE_TYPES
from dealerhub.core.pricing.models import ItemPrice, PriceType

LANGS = ("ru", "en", "zh")


@dataclass
class CatalogRefs:
    """Ids of the reference data, and what later steps need to know of every item."""

    units: dict[str, int]
    unit_precision: dict[str, int]
    brands: dict[str, int]
    groups: dict[str, int]
    properties: dict[str, int]
    models: dict[str, int]
    price_types: dict[str, int]
    prices_from: date
    item_ids: list[int] = field(default_factory=list)
    items: list[ItemFacts] = field(default_factory=list)  # in catalog order


@dataclass(frozen=True)
class ItemFacts:
    """What the stock and document history need to know of an item."""

    id: int
    kind: str
    unit: str
    price: Decimal  # the base (retail) price
    group: str
    original: bool  # the distributor's own brand, not an aftermarket analogue


def write_reference_data(s: Session, prices_from: date) -> CatalogRefs:
    units = _insert_returning_ids(
        s,
        Unit,
        "code",
        [
            {"code": code, "precision": precision, "names": {"ru": ru, "en": en, "zh": zh}}
            for code, precision, ru, en, zh in w.UNITS
        ],
    )
    brands = _insert_returning_ids(
        s,
        Brand,
        "name",
        [{"name": w.BRAND, "country": w.BRAND_COUNTRY}]
        + [{"name": name, "country": country} for name, country, _prefix in w.AFTERMARKET_BRANDS],
    )
    groups = _write_groups(s)
    properties = _insert_returning_ids(
        s,
        Property,
        "code",
        [
            {"code": code, "names": {"ru": ru, "en": en, "zh": zh}, "unit": unit}
            for code, ru, en, zh, unit in w.PROPERTIES
        ],
    )
    models = _insert_returning_ids(
        s,
        MachineModel,
        "name",
        [
            {"name": name, "machine_type": machine_type, "brand_id": brands[w.BRAND]}
            for name, machine_type, *_ in w.MACHINE_MODELS
        ],
    )
    price_types = _insert_returning_ids(
        s,
        PriceType,
        "code",
        [
            {"code": code, "name": name, "currency": "RUB", "is_base": is_base}
            for code, name, is_base, _share in PRICE_TYPES
        ],
    )
    return CatalogRefs(
        units=units,
        unit_precision={code: p for code, p, *_ in w.UNITS},
        brands=brands,
        groups=groups,
        properties=properties,
        models=models,
        price_types=price_types,
        prices_from=prices_from,
    )


def write_items(s: Session, refs: CatalogRefs, batch: Sequence[ItemSpec]) -> None:
    """Insert one batch of items and their dependent rows; analogues may point to earlier batches."""
    ids = _insert_returning_ids(s, Item, "code", [_item_row(refs, spec) for spec in batch])
    for spec in batch:
        refs.item_ids.append(ids[spec.code])
        refs.items.append(
            ItemFacts(
                ids[spec.code], spec.kind, spec.unit, spec.base_price, spec.group, spec.brand == w.BRAND
            )
        )
    for table, rows in _dependent_rows(refs, batch).items():
        bulk_insert(s, table, rows)


def _dependent_rows(refs: CatalogRefs, batch: Sequence[ItemSpec]) -> dict[type, list[dict]]:
    rows: dict[type, list[dict]] = {
        t: []
        for t in (
            ItemTranslation,
            ItemOemNumber,
            ItemAnalogue,
            ItemApplicability,
            ItemPropertyValue,
            Barcode,
            ItemPackaging,
            ItemPrice,
        )
    }
    for spec in batch:
        item_id = refs.item_ids[spec.index]
        rows[ItemTranslation] += [
            {
                "item_id": item_id,
                "lang": lang,
                "name": spec.names[lang],
                "description": spec.descriptions.get(lang) or None,
            }
            for lang in LANGS
        ]
        rows[ItemOemNumber] += _oem_rows(item_id, spec)
        rows[ItemAnalogue] += _analogue_rows(refs, item_id, spec)
        rows[ItemApplicability] += [
            {"item_id": item_id, "machine_model_id": refs.models[m]} for m in spec.models
        ]
        if spec.prop:
            rows[ItemPropertyValue].append(
                {"item_id": item_id, "property_id": refs.properties[spec.prop[0]], "value": spec.prop[1]}
            )
        if spec.use_in_wms:
            rows[Barcode].append({"item_id": item_id, "barcode": spec.barcode})
        rows[ItemPackaging] += [
            {"item_id": item_id, "name": name, "quantity": qty, "source": "manual"}
            for name, qty in spec.packagings
        ]
        rows[ItemPrice] += _price_rows(refs, item_id, spec.base_price)
    return rows


def _item_row(refs: CatalogRefs, spec: ItemSpec) -> dict:
    return {
        "code": spec.code,
        "article": spec.article,
        "article_key": normalize_article(spec.article),
        "kind": spec.kind,
        "brand_id": refs.brands[spec.brand] if spec.brand else None,
        "group_id": refs.groups[spec.group],
        "unit_id": refs.units[spec.unit],
        "use_in_wms": spec.use_in_wms,
        "vat_rate": Decimal(20),
        "weight_kg": spec.weight_kg,
        "is_active": True,
    }


def _oem_rows(item_id: int, spec: ItemSpec) -> list[dict]:
    rows, seen = [], set()
    for number, maker in spec.oem_numbers:
        key = normalize_article(number)
        if key not in seen:
            seen.add(key)
            rows.append({"item_id": item_id, "number": number, "number_key": key, "maker": maker})
    return rows


def _analogue_rows(refs: CatalogRefs, item_id: int, spec: ItemSpec) -> list[dict]:
    """The aftermarket item can replace its original; with two_way the original can replace it too."""
    if spec.analogue_of is None:
        return []
    original_id = refs.item_ids[spec.analogue_of]
    rows = [{"item_id": original_id, "analogue_id": item_id, "two_way": spec.two_way}]
    if spec.two_way:
        rows.append({"item_id": item_id, "analogue_id": original_id, "two_way": True})
    return rows


def _price_rows(refs: CatalogRefs, item_id: int, base_price: Decimal) -> list[dict]:
    return [
        {
            "item_id": item_id,
            "price_type_id": refs.price_types[code],
            "price": max(CENT, (base_price * Decimal(share)).quantize(CENT)),
            "currency": "RUB",
            "valid_from": refs.prices_from,
        }
        for code, _name, _is_base, share in PRICE_TYPES
    ]


def _write_groups(s: Session) -> dict[str, int]:
    ids: dict[str, int] = {}
    for order, (code, parent, ru, en, zh, use_in_wms) in enumerate(w.GROUPS):
        ids.update(
            _insert_returning_ids(
                s,
                ItemGroup,
                "code",
                [
                    {
                        "code": code,
                        "parent_id": ids[parent] if parent else None,
                        "use_in_wms": use_in_wms,
                        "sort_order": order,
                    }
                ],
            )
        )
        bulk_insert(
            s,
            ItemGroupTranslation,
            [
                {"group_id": ids[code], "lang": lang, "name": name}
                for lang, name in zip(LANGS, (ru, en, zh), strict=True)
            ],
        )
    return ids


def bulk_insert(s: Session, model: type, rows: list[dict]) -> None:
    """One executemany of plain Core INSERTs (psycopg pipelines them on PostgreSQL; measured faster
    there than multi-row VALUES or RETURNING batches)."""
    if rows:
        s.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]


def _insert_returning_ids(s: Session, model: type, key: str, rows: list[dict]) -> dict[str, int]:
    """Insert rows and map each row's natural key (code, name) to its new id."""
    bulk_insert(s, model, rows)
    column = getattr(model, key)
    keys = [row[key] for row in rows]
    return dict(s.execute(select(column, model.id).where(column.in_(keys))).all())
