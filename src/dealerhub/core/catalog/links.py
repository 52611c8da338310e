"""What hangs on an item: OEM numbers, analogues, barcodes, properties, applicability, packaging."""

from __future__ import annotations

from decimal import Decimal
from typing import NoReturn

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog import rules, wms_messages
from dealerhub.core.catalog._common import clean_decimal, clean_text, ensure_exists
from dealerhub.core.catalog.errors import (
    AnalogueAlreadyLinked,
    AnalogueNotLinked,
    DuplicateBarcode,
    DuplicateOemNumber,
    InvalidAnalogue,
    InvalidCatalogData,
    UnknownReference,
)
from dealerhub.core.catalog.fields import field_name
from dealerhub.core.catalog.items import ENTITY, get_item
from dealerhub.core.catalog.models import (
    Barcode,
    Item,
    ItemAnalogue,
    ItemApplicability,
    ItemOemNumber,
    ItemPackaging,
    ItemPropertyValue,
    MachineModel,
    Property,
)
from dealerhub.shared.texts import T, Text


def add_oem_number(
    s: Session, item_id: int, *, user_id: int | None, number: str, maker: str | None = None
) -> ItemOemNumber:
    item = get_item(s, item_id)
    number = clean_text(number, "number", 64)
    key = rules.normalize_article(number)
    if not key:
        raise InvalidCatalogData(T("OEM number %(number)s has no letters or digits", number=number), field="number")
    if s.scalar(
        select(ItemOemNumber.id).where(ItemOemNumber.item_id == item.id, ItemOemNumber.number_key == key)
    ):
        raise DuplicateOemNumber(
            T("item %(item)s already has OEM number %(number)s", item=item.code, number=number), number=number
        )
    oem = ItemOemNumber(
        item_id=item.id, number=number, number_key=key, maker=clean_text(maker, "maker", 100, required=False)
    )
    s.add(oem)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item.id,
        action="add_oem_number",
        number=number,
        maker=oem.maker,
    )
    return oem


def remove_oem_number(s: Session, item_id: int, *, user_id: int | None, number: str) -> None:
    item = get_item(s, item_id)
    key = rules.normalize_article(number)
    removed = s.execute(
        delete(ItemOemNumber).where(ItemOemNumber.item_id == item.id, ItemOemNumber.number_key == key)
    ).rowcount
    if not removed:
        raise UnknownReference(
            T("item %(item)s has no OEM number %(number)s", item=item.code, number=number), number=number
        )
    s.expire(item, ["oem_numbers"])
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=item.id, action="remove_oem_number", number=number
    )


def link_analogues(s: Session, item_id: int, analogue_id: int, *, user_id: int | None, two_way: bool) -> None:
    """`analogue_id` can replace `item_id`; two-way also the reverse (two directed rows)."""
    if item_id == analogue_id:
        raise InvalidAnalogue(T("an item cannot be its own analogue"), item_id=item_id)
    item, analogue = get_item(s, item_id), get_item(s, analogue_id)
    forward, backward = _analogue_row(s, item.id, analogue.id), _analogue_row(s, analogue.id, item.id)
    if forward and (not two_way or (forward.two_way and backward and backward.two_way)):
        raise AnalogueAlreadyLinked(
            T("%(analogue)s is already an analogue of %(item)s", analogue=analogue.code, item=item.code),
            item_id=item.id,
            analogue_id=analogue.id,
        )
    if forward is None:
        s.add(ItemAnalogue(item_id=item.id, analogue_id=analogue.id, two_way=two_way))
    if two_way:
        if forward is not None:
            forward.two_way = True
        if backward is None:
            s.add(ItemAnalogue(item_id=analogue.id, analogue_id=item.id, two_way=True))
        else:
            backward.two_way = True
    s.flush()
    _record_analogue(s, user_id, item.id, analogue.id, "link_analogue", two_way)


def unlink_analogues(s: Session, item_id: int, analogue_id: int, *, user_id: int | None) -> None:
    """Remove the cross-reference; a two-way pair goes as a whole (both rows)."""
    forward = _analogue_row(s, item_id, analogue_id)
    if forward is None:
        raise AnalogueNotLinked(
            T("item %(analogue)s is not an analogue of item %(item)s", analogue=analogue_id, item=item_id),
            item_id=item_id,
            analogue_id=analogue_id,
        )
    two_way = forward.two_way
    s.delete(forward)
    backward = _analogue_row(s, analogue_id, item_id) if two_way else None
    if backward is not None:
        s.delete(backward)
    s.flush()
    _record_analogue(s, user_id, item_id, analogue_id, "unlink_analogue", two_way)


def list_analogues(s: Session, item_id: int) -> list[Item]:
    """The items that can replace this one, by article."""
    return list(
        s.scalars(
            select(Item)
            .join(ItemAnalogue, ItemAnalogue.analogue_id == Item.id)
            .where(ItemAnalogue.item_id == item_id)
            .order_by(Item.article, Item.id)
        )
    )


def add_barcode(
    s: Session, item_id: int, *, user_id: int | None, barcode: str, packaging_id: int | None = None
) -> Barcode:
    item = get_item(s, item_id)
    code = rules.clean_barcode(barcode)
    owner = s.scalar(
        select(Item.code).join(Barcode, Barcode.item_id == Item.id).where(Barcode.barcode == code)
    )
    if owner is not None:
        raise DuplicateBarcode(
            T("barcode %(barcode)s already belongs to item %(item)s", barcode=code, item=owner), barcode=code, item_code=owner
        )
    if (
        packaging_id is not None
        and s.scalar(
            select(ItemPackaging.id).where(ItemPackaging.id == packaging_id, ItemPackaging.item_id == item.id)
        )
        is None
    ):
        raise UnknownReference(
            T("item %(item)s has no packaging %(packaging)s", item=item.code, packaging=packaging_id),
            packaging_id=packaging_id,
        )
    before = wms_messages.item_view(s, item.id)
    row = Barcode(item_id=item.id, barcode=code, packaging_id=packaging_id)
    s.add(row)
    s.flush()
    wms_messages.item_changed(s, before)  # GOODS carries the barcodes
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item.id,
        action="add_barcode",
        barcode=code,
        packaging_id=packaging_id,
    )
    return row


def set_property(
    s: Session, item_id: int, *, user_id: int | None, property_id: int, value: str | None
) -> None:
    """Set the item's value of a property; None or '' removes it."""
    item = get_item(s, item_id)
    ensure_exists(s, Property, property_id, T("property"))
    value = clean_text(value, "value", 200, required=False)
    row = s.get(ItemPropertyValue, (item.id, property_id))
    old = row.value if row else None
    if old == value:
        return
    if value is None:
        s.delete(row)
    elif row is None:
        s.add(ItemPropertyValue(item_id=item.id, property_id=property_id, value=value))
    else:
        row.value = value
    s.flush()
    s.expire(item, ["properties"])
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item.id,
        action="set_property",
        property_id=property_id,
        changes={"value": [old, value]},
    )


def set_applicability(s: Session, item_id: int, *, user_id: int | None, machine_model_ids: list[int]) -> None:
    """The machine models the item fits: replaces the whole set."""
    item = get_item(s, item_id)
    wanted = set(machine_model_ids)
    known = set(s.scalars(select(MachineModel.id).where(MachineModel.id.in_(wanted))))
    if wanted - known:
        missing = sorted(wanted - known)
        raise UnknownReference(
            T("unknown machine model(s) %(ids)s", ids=", ".join(map(str, missing))), machine_model_ids=missing
        )
    current = set(
        s.scalars(select(ItemApplicability.machine_model_id).where(ItemApplicability.item_id == item.id))
    )
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return
    if removed:
        s.execute(
            delete(ItemApplicability).where(
                ItemApplicability.item_id == item.id, ItemApplicability.machine_model_id.in_(removed)
            )
        )
    s.add_all(ItemApplicability(item_id=item.id, machine_model_id=m) for m in added)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item.id,
        action="set_applicability",
        added=added,
        removed=removed,
    )


def list_applicability(s: Session, item_id: int) -> list[MachineModel]:
    return list(
        s.scalars(
            select(MachineModel)
            .join(ItemApplicability, ItemApplicability.machine_model_id == MachineModel.id)
            .where(ItemApplicability.item_id == item_id)
            .order_by(MachineModel.name)
        )
    )


def set_packaging(
    s: Session,
    item_id: int,
    *,
    user_id: int | None,
    name: str,
    quantity: Decimal,
    weight_kg: Decimal | None = None,
    length_mm: int | None = None,
    width_mm: int | None = None,
    height_mm: int | None = None,
    source: str = "manual",
) -> ItemPackaging:
    """A packaging level (a box of 10, a pallet of 40 boxes), created or replaced by name."""
    item = get_item(s, item_id)
    name = clean_text(name, "name", 50)
    values = {
        "quantity": _packaging_quantity(quantity, item.unit.precision),
        "weight_kg": None if weight_kg is None else _exact(weight_kg, "weight_kg", 3),
        "length_mm": _millimetres(length_mm, "length_mm"),
        "width_mm": _millimetres(width_mm, "width_mm"),
        "height_mm": _millimetres(height_mm, "height_mm"),
        "source": source if source in ("manual", "wms") else _bad("source", T("manual or wms")),
    }
    row = s.scalar(select(ItemPackaging).where(ItemPackaging.item_id == item.id, ItemPackaging.name == name))
    if row is None:
        row = ItemPackaging(item_id=item.id, name=name, **values)
        s.add(row)
    else:
        for field, value in values.items():
            setattr(row, field, value)
    s.flush()
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=item.id, action="set_packaging", name=name, **values
    )
    return row


def _analogue_row(s: Session, item_id: int, analogue_id: int) -> ItemAnalogue | None:
    return s.get(ItemAnalogue, (item_id, analogue_id))


def _record_analogue(
    s: Session, user_id: int | None, item_id: int, analogue_id: int, action: str, two_way: bool
) -> None:
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item_id,
        action=action,
        analogue_id=analogue_id,
        two_way=two_way,
    )
    if two_way:
        record_change(
            s,
            user_id=user_id,
            entity_type=ENTITY,
            entity_id=analogue_id,
            action=action,
            analogue_id=item_id,
            two_way=two_way,
        )


def _packaging_quantity(quantity: Decimal, precision: int) -> Decimal:
    number = _exact(quantity, "quantity", precision)
    if number <= 0:
        _bad("quantity", T("a positive number of units"))
    return number


def _exact(value: Decimal, field: str, places: int) -> Decimal:
    number = clean_decimal(value, field, minimum=Decimal(0), below=Decimal(10) ** 9)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        _bad(field, T("at most %(places)s decimal places", places=places))
    return number


def _millimetres(value: int | None, field: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        _bad(field, T("a whole number of millimetres ≥ 0"))
    return value


def _bad(field: str, expected: Text) -> NoReturn:
    raise InvalidCatalogData(T("%(field)s must be %(expected)s", field=field_name(field), expected=expected), field=field)
