"""Use cases of warehouses. The WMS code is set once and then locked: the use case refuses a change
and so does a trigger in the database (migration core_0001, guards_0001.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.warehouses.errors import (
    DuplicateWarehouseCode,
    InvalidWarehouseData,
    WarehouseCodeLocked,
    WarehouseNotFound,
)
from dealerhub.core.warehouses.models import WAREHOUSE_KINDS, Warehouse
from dealerhub.core.warehouses.names import warehouse_kind_name
from dealerhub.shared import clock
from dealerhub.shared.texts import T, Text

ENTITY = "warehouse"
_EDITABLE = frozenset({"code", "name", "kind", "wms_code", "address", "is_active"})
# What the fields are called where a refusal names them (the form's labels).
_FIELD_NAMES: dict[str, Text] = {"code": T("Code"), "name": T("Name"), "wms_code": T("WMS code"), "address": T("Address")}


def create_warehouse(
    s: Session,
    *,
    user_id: int | None,
    code: str,
    name: str,
    kind: str,
    wms_code: str | None = None,
    address: str | None = None,
) -> Warehouse:
    values = _clean({"code": code, "name": name, "kind": kind, "wms_code": wms_code, "address": address})
    _ensure_unique(s, values, exclude_id=None)
    warehouse = Warehouse(**values)
    s.add(warehouse)
    _flush_unique(s, values)
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=warehouse.id, action="create", **values)
    return warehouse


def update_warehouse(s: Session, warehouse_id: int, *, user_id: int | None, **fields: Any) -> Warehouse:
    """Change code, name, kind, address, is_active; wms_code only from None (then it is locked)."""
    unknown = sorted(set(fields) - _EDITABLE)
    if unknown:
        raise InvalidWarehouseData(
            T("a warehouse has no editable field(s) %(fields)s", fields=", ".join(unknown)), fields=unknown
        )
    warehouse = get_warehouse(s, warehouse_id)
    values = _clean(fields)
    wms_code = values.pop("wms_code", warehouse.wms_code)
    _ensure_unique(s, {**values, "wms_code": wms_code}, exclude_id=warehouse.id)
    changed = {f: [getattr(warehouse, f), v] for f, v in values.items() if getattr(warehouse, f) != v}
    for field, (_old, new) in changed.items():
        setattr(warehouse, field, new)
    if wms_code != warehouse.wms_code:
        _set_wms_code_once(s, warehouse, wms_code)
        changed["wms_code"] = [None, wms_code]
    if changed:
        _flush_unique(s, {**values, "wms_code": wms_code})
        record_change(
            s, user_id=user_id, entity_type=ENTITY, entity_id=warehouse.id, action="update", changes=changed
        )
    return warehouse


def get_warehouse(s: Session, warehouse_id: int) -> Warehouse:
    warehouse = s.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise WarehouseNotFound(T("warehouse #%(id)s not found", id=warehouse_id), warehouse_id=warehouse_id)
    return warehouse


def find_warehouse_by_wms_code(s: Session, wms_code: str) -> Warehouse | None:
    """The warehouse the WMS means by this code (the exchange decides what an unknown code means)."""
    return s.scalar(select(Warehouse).where(Warehouse.wms_code == wms_code))


def list_warehouses(s: Session, *, active_only: bool = False) -> list[Warehouse]:
    query = select(Warehouse).order_by(Warehouse.code)
    if active_only:
        query = query.where(Warehouse.is_active)
    return list(s.scalars(query))


def _set_wms_code_once(s: Session, warehouse: Warehouse, wms_code: str | None) -> None:
    """Conditional UPDATE ... WHERE wms_code IS NULL: a code set meanwhile by someone else wins."""
    if warehouse.wms_code is not None:
        raise WarehouseCodeLocked(
            T(
                "warehouse %(warehouse)s has WMS code %(wms_code)s: it cannot be changed",
                warehouse=warehouse.code, wms_code=warehouse.wms_code,
            ),
            warehouse_id=warehouse.id,
            wms_code=warehouse.wms_code,
        )
    s.flush()
    result = s.execute(
        update(Warehouse)
        .where(Warehouse.id == warehouse.id, Warehouse.wms_code.is_(None))
        .values(wms_code=wms_code, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    s.refresh(warehouse, ["wms_code", "updated_at"])
    if result.rowcount != 1:
        raise WarehouseCodeLocked(
            T(
                "warehouse %(warehouse)s got WMS code %(wms_code)s meanwhile: it cannot be changed",
                warehouse=warehouse.code, wms_code=warehouse.wms_code,
            ),
            warehouse_id=warehouse.id,
            wms_code=warehouse.wms_code,
        )


def _ensure_unique(s: Session, values: dict[str, Any], *, exclude_id: int | None) -> None:
    for field in ("code", "wms_code"):
        value = values.get(field)
        if value is None:
            continue
        condition = getattr(Warehouse, field) == value
        if exclude_id is not None:
            condition = condition & (Warehouse.id != exclude_id)
        if s.scalar(select(exists().where(condition))):
            message = (
                T("warehouse code %(value)s is already taken", value=repr(value))
                if field == "code"
                else T("warehouse WMS code %(value)s is already taken", value=repr(value))
            )
            raise DuplicateWarehouseCode(message, field=field, value=value)


def _flush_unique(s: Session, values: dict[str, Any]) -> None:
    """Flush; a concurrent insert of the same code (the unique constraints) becomes DuplicateWarehouseCode."""
    try:
        s.flush()
    except IntegrityError as exc:
        raise DuplicateWarehouseCode(
            T(
                "warehouse code %(code)s or WMS code %(wms_code)s was just taken",
                code=repr(values.get("code")), wms_code=repr(values.get("wms_code")),
            ),
            code=values.get("code"),
            wms_code=values.get("wms_code"),
        ) from exc


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaners = {
        "code": lambda v: _text(v, "code", 16),
        "name": lambda v: _text(v, "name", 200),
        "kind": _kind,
        "wms_code": lambda v: _text(v, "wms_code", 16, required=False),
        "address": lambda v: _text(v, "address", 300, required=False),
        "is_active": bool,
    }
    return {f: cleaners[f](v) for f, v in fields.items()}


def _kind(value: Any) -> str:
    if value not in WAREHOUSE_KINDS:
        raise InvalidWarehouseData(
            T(
                "kind %(kind)s is not one of %(kinds)s",
                kind=repr(value), kinds=Text(
                    ", ".join(f"%({k})s" for k in WAREHOUSE_KINDS), **{k: warehouse_kind_name(k) for k in WAREHOUSE_KINDS}
                ),
            ),
            field="kind",
        )
    return value


def _text(value: Any, field: str, max_len: int, *, required: bool = True) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidWarehouseData(T("%(field)s is required", field=_FIELD_NAMES.get(field, field)), field=field)
        return None
    if len(text) > max_len:
        raise InvalidWarehouseData(
            T(
                "%(field)s is longer than %(limit)s characters", field=_FIELD_NAMES.get(field, field), limit=max_len
            ),
            field=field,
        )
    return text
