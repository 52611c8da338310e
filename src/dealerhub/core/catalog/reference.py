"""Reference lists the catalog's forms choose from: units, brands, properties, machine models."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog import rules
from dealerhub.core.catalog._common import catalog_languages, clean_text, ensure_exists, ensure_unique
from dealerhub.core.catalog.errors import InvalidCatalogData
from dealerhub.core.catalog.models import Brand, MachineModel, Property, Unit
from dealerhub.shared.texts import T

Row = TypeVar("Row")

# Quantities are stored to 0.001 (Qty), so a unit can allow at most three decimal places.
MAX_UNIT_PRECISION = 3


def create_unit(
    s: Session, *, user_id: int | None, code: str, names: dict[str, str], precision: int = 0
) -> Unit:
    code = clean_text(code, "code", 16)
    clean_names = rules.check_names(names, catalog_languages())
    if (
        isinstance(precision, bool)
        or not isinstance(precision, int)
        or not 0 <= precision <= MAX_UNIT_PRECISION
    ):
        raise InvalidCatalogData(
            T("a unit allows 0 to %(max)s decimal places", max=MAX_UNIT_PRECISION), field="precision"
        )
    ensure_unique(s, Unit.code, code, what=T("unit code"))
    unit = Unit(code=code, names=clean_names, precision=precision)
    return _created(s, unit, user_id, "unit", code=code, names=clean_names, precision=precision)


def create_brand(s: Session, *, user_id: int | None, name: str, country: str | None = None) -> Brand:
    name = clean_text(name, "name", 100)
    country = _country(country)
    ensure_unique(s, Brand.name, name, what=T("brand"))
    return _created(s, Brand(name=name, country=country), user_id, "brand", name=name, country=country)


def create_property(
    s: Session, *, user_id: int | None, code: str, names: dict[str, str], unit: str | None = None
) -> Property:
    code = clean_text(code, "code", 32)
    clean_names = rules.check_names(names, catalog_languages())
    unit = clean_text(unit, "unit", 16, required=False)
    ensure_unique(s, Property.code, code, what=T("property code"))
    prop = Property(code=code, names=clean_names, unit=unit)
    return _created(s, prop, user_id, "property", code=code, names=clean_names, unit=unit)


def create_machine_model(
    s: Session, *, user_id: int | None, brand_id: int, name: str, machine_type: str
) -> MachineModel:
    name = clean_text(name, "name", 100)
    machine_type = clean_text(machine_type, "machine_type", 32)
    ensure_exists(s, Brand, brand_id, T("brand"))
    ensure_unique(s, MachineModel.name, name, what=T("machine model"))
    model = MachineModel(brand_id=brand_id, name=name, machine_type=machine_type)
    return _created(
        s, model, user_id, "machine_model", brand_id=brand_id, name=name, machine_type=machine_type
    )


def list_units(s: Session) -> list[Unit]:
    return list(s.scalars(select(Unit).order_by(Unit.code)))


def list_brands(s: Session) -> list[Brand]:
    return list(s.scalars(select(Brand).order_by(Brand.name)))


def list_properties(s: Session) -> list[Property]:
    return list(s.scalars(select(Property).order_by(Property.code)))


def list_machine_models(s: Session, *, brand_id: int | None = None) -> list[MachineModel]:
    query = select(MachineModel).order_by(MachineModel.name)
    if brand_id is not None:
        query = query.where(MachineModel.brand_id == brand_id)
    return list(s.scalars(query))


def _country(country: str | None) -> str | None:
    country = clean_text(country, "country", 2, required=False)
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise InvalidCatalogData(T("country %(country)s is not a two-letter code", country=country), field="country")
    return country.upper() if country else None


def _created(s: Session, row: Row, user_id: int | None, entity_type: str, **details: Any) -> Row:
    s.add(row)
    s.flush()
    record_change(s, user_id=user_id, entity_type=entity_type, entity_id=row.id, action="create", **details)
    return row
