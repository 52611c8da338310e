"""Items, groups and counterparties as the core sends them, and finding an item by what is scanned.

Upserts come from CLASSIFIER / GOODS / COUNTERPARTY; a withdrawal makes the row inactive (documents
keep referring to it; a later upsert makes it active again). An item's barcodes are replaced by each
GOODS upsert: a barcode passed to another item moves to it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import ClassifierGroup, GoodsItem
from dealerhub.exchange.contracts import Counterparty as CounterpartyIn
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Counterparty, Item, ItemBarcode, ItemGroup, ItemPlace
from dealerhub.wms.errors import QuantityRefused, UnknownBarcode, WmsNotFound


def upsert_group(s: Session, g: ClassifierGroup) -> ItemGroup:
    group = s.scalar(select(ItemGroup).where(ItemGroup.code == g.code))
    if group is None:
        group = ItemGroup(code=g.code)
        s.add(group)
    group.parent_code, group.names = g.parent_code, dict(g.names)
    group.active, group.updated_at = g.action == "upsert", clock.now()
    return group


def upsert_item(s: Session, g: GoodsItem) -> Item:
    item = s.scalar(select(Item).where(Item.code == g.code))
    if item is None:
        item = Item(code=g.code)
        s.add(item)
    item.article, item.brand, item.group_code = g.article, g.brand, g.group_code
    item.unit_code, item.unit_name, item.unit_decimals = g.unit.code, g.unit.name, g.unit.decimals
    item.names, item.descriptions = dict(g.names), dict(g.descriptions)
    item.serial_tracked, item.active, item.updated_at = g.serial_tracked, g.action == "upsert", clock.now()
    s.flush()
    if g.action == "upsert":
        set_barcodes(s, item, g.barcodes)
    return item


def set_barcodes(s: Session, item: Item, barcodes: list[str]) -> None:
    wanted = {b.strip() for b in barcodes if b.strip()}
    s.execute(delete(ItemBarcode).where(ItemBarcode.item_id == item.id, ItemBarcode.barcode.not_in(wanted)))
    for barcode in sorted(wanted):
        row = s.get(ItemBarcode, barcode)
        if row is None:
            s.add(ItemBarcode(barcode=barcode, item_id=item.id))
        else:
            row.item_id = item.id
    s.flush()


def upsert_counterparty(s: Session, c: CounterpartyIn) -> Counterparty:
    row = s.scalar(select(Counterparty).where(Counterparty.code == c.code))
    if row is None:
        row = Counterparty(code=c.code)
        s.add(row)
    row.partner_code, row.name, row.inn, row.kpp, row.address = c.partner_code, c.name, c.inn, c.kpp, c.address
    row.roles, row.active, row.updated_at = list(c.roles), c.action == "upsert", clock.now()
    return row


def item_by_code(s: Session, code: str) -> Item:
    item = s.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise WmsNotFound(T("no item %(code)s in the WMS", code=code), code=code)
    return item


def find_items(s: Session, codes: list[str]) -> dict[str, Item]:
    return {i.code: i for i in s.scalars(select(Item).where(Item.code.in_(set(codes))))} if codes else {}


def item_by_barcode(s: Session, barcode: str) -> Item:
    """The item a scanned barcode belongs to; the item's code scans too (labels printed in the WMS)."""
    code = barcode.strip()
    item = s.scalar(select(Item).join(ItemBarcode, ItemBarcode.item_id == Item.id).where(ItemBarcode.barcode == code))
    if item is None:
        item = s.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise UnknownBarcode(T("barcode %(barcode)s is no item's", barcode=code), barcode=code)
    return item


def counterparty_by_code(s: Session, code: str) -> Counterparty | None:
    return s.scalar(select(Counterparty).where(Counterparty.code == code))


def item_place(s: Session, warehouse_id: int, item_id: int) -> ItemPlace | None:
    return s.scalar(select(ItemPlace).where(ItemPlace.warehouse_id == warehouse_id, ItemPlace.item_id == item_id))


def set_item_place(
    s: Session,
    warehouse_id: int,
    item_id: int,
    *,
    home_zone_id: int | None = None,
    pick_min: Decimal = Decimal(0),
    pick_max: Decimal = Decimal(0),
) -> ItemPlace:
    """Where the item is put away on this warehouse and how much its picking zone keeps: below
    `pick_min` available units a replenishment refills the picking zone up to `pick_max`."""
    if pick_min < 0 or pick_max < pick_min:
        raise QuantityRefused(T("the picking zone's minimum %(minimum)s must be 0 or more and at most its maximum %(maximum)s",
                                 minimum=pick_min, maximum=pick_max))
    place = item_place(s, warehouse_id, item_id)
    if place is None:
        place = ItemPlace(warehouse_id=warehouse_id, item_id=item_id)
        s.add(place)
    place.home_zone_id, place.pick_min, place.pick_max = home_zone_id, pick_min, pick_max
    s.flush()
    return place
