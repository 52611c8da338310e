"""CLASSIFIER and GOODS messages to the WMS: the groups and items flagged "use in WMS".

An item takes part when its own flag and the flag of its group and of every ancestor group are
set (`groups_taking_part`); a group when it and every ancestor are flagged. Every change is sent as the
difference between what the WMS had been told before the change and what it must know after it:
entries that left are withdrawn, entries that came or changed are upserted (a changed code is a
withdraw of the old code and an upsert of the new one). The use cases take a `before` snapshot,
change the catalog, and call `*_changed(s, before)`.

CLASSIFIER and GOODS form ONE ordered stream (document "catalog"): the WMS applies them in the
order they were made, so a group arrives before its items and an item is withdrawn before its
group. Names and descriptions go in the languages of `exchange_languages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog import groups as catalog_groups  # module: groups.py imports this one
from dealerhub.core.catalog.models import (
    Barcode,
    Brand,
    Item,
    ItemGroup,
    ItemGroupTranslation,
    ItemTranslation,
    Unit,
)
from dealerhub.core.catalog.rules import groups_flagged_for_wms, pick_name
from dealerhub.core.outbox import enqueue
from dealerhub.exchange.contracts import ClassifierGroup, ClassifierV1, GoodsItem, GoodsV1
from dealerhub.exchange.contracts import Unit as UnitEntry
from dealerhub.shared.config import get_settings

STREAM = {"document_type": "catalog", "document_number": "catalog"}
BATCH = 200  # entries per message
_CHUNK = 500  # ids per IN (...) when reading
_TEXT_MAX = 2000  # the contract's longest description
SERIAL_TRACKED_KIND = "machine"  # items of this kind travel to the WMS as serial-tracked


# --- which items take part ----------------------------------------------------------------------


def wms_item_codes(s: Session, item_ids: Iterable[int]) -> dict[int, str]:
    """item id -> code of the items among `item_ids` that the WMS knows (flag and group chain)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    codes: dict[int, str] = {}
    for chunk in _chunks(ids):
        rows = s.execute(
            select(Item.id, Item.code, Item.group_id).where(Item.id.in_(chunk), Item.use_in_wms.is_(True))
        ).all()
        flagged = groups_taking_part(s, {r.group_id for r in rows})
        codes.update({r.id: r.code for r in rows if r.group_id in flagged})
    return codes


def groups_taking_part(s: Session, group_ids: Iterable[int]) -> set[int]:
    """Those of `group_ids` flagged "use in WMS" with every ancestor: one recursive query up their
    chains, however large the catalog is (posting a picking task runs this)."""
    ids = sorted(set(group_ids))
    if not ids:
        return set()
    g = ItemGroup.__table__
    chain = select(g.c.id, g.c.parent_id, g.c.use_in_wms).where(g.c.id.in_(ids)).cte("chain", recursive=True)
    chain = chain.union(select(g.c.id, g.c.parent_id, g.c.use_in_wms).join(chain, g.c.id == chain.c.parent_id))
    rows = s.execute(select(chain.c.id, chain.c.parent_id, chain.c.use_in_wms)).all()
    flagged = groups_flagged_for_wms({r.id: r.parent_id for r in rows}, {r.id: bool(r.use_in_wms) for r in rows})
    return flagged & set(ids)


# --- snapshots and changes ----------------------------------------------------------------------


@dataclass
class CatalogView:
    """What the WMS knows of a part of the catalog: entries (without action) by id."""

    groups: dict[int, dict] = field(default_factory=dict)
    items: dict[int, dict] = field(default_factory=dict)
    group_ids: list[int] = field(default_factory=list)  # the part looked at
    item_ids: list[int] = field(default_factory=list)


def item_view(s: Session, item_id: int) -> CatalogView:
    """Before a change of one item (its fields, names, barcodes, group, flag)."""
    return CatalogView(items=_item_entries(s, [item_id]), item_ids=[item_id])


def item_changed(s: Session, before: CatalogView) -> None:
    after = item_view(s, before.item_ids[0])
    _send_difference(s, before, after)


def item_created(s: Session, item_id: int) -> None:
    _send_difference(s, CatalogView(item_ids=[item_id]), item_view(s, item_id))


def subtree_view(s: Session, group_id: int, *, with_items: bool = True) -> CatalogView:
    """Before a change of a group: the group, its descendants and (`with_items`) their items;
    entries only of what takes part, so a large subtree outside the WMS costs two cheap queries."""
    group_ids = sorted(catalog_groups.subgroup_ids(s, group_id))
    item_ids: list[int] = []
    for chunk in _chunks(group_ids) if with_items else ():
        item_ids.extend(s.scalars(select(Item.id).where(Item.group_id.in_(chunk))))
    view = CatalogView(group_ids=group_ids, item_ids=sorted(item_ids))
    view.groups = _group_entries(s, group_ids)
    view.items = _item_entries(s, view.item_ids)
    return view


def subtree_changed(s: Session, before: CatalogView) -> None:
    after = CatalogView(group_ids=before.group_ids, item_ids=before.item_ids)
    after.groups = _group_entries(s, before.group_ids)
    after.items = _item_entries(s, before.item_ids)
    _send_difference(s, before, after)


def group_created(s: Session, group_id: int) -> None:
    after = CatalogView(group_ids=[group_id], groups=_group_entries(s, [group_id]))
    _send_difference(s, CatalogView(group_ids=[group_id]), after)


def send_full_catalog(s: Session, *, batch: int = BATCH) -> tuple[int, int]:
    """Every group and item that takes part, as upserts: groups (parents first), then items,
    `batch` entries per message. For `dealerhub exchange send-catalog` (a first load of the WMS, or
    a resync). Returns (groups, items) sent. The caller owns the transaction."""
    groups = _group_entries(s, list(s.scalars(select(ItemGroup.id))))
    ordered = _parents_first(groups.values())
    _enqueue_groups(s, [(entry, "upsert") for entry in ordered], batch)
    item_ids = list(s.scalars(select(Item.id).where(Item.use_in_wms.is_(True)).order_by(Item.id)))
    sent = 0
    for start in range(0, len(item_ids), batch):
        entries = _item_entries(s, item_ids[start : start + batch])
        _enqueue_items(s, [(entries[i], "upsert") for i in sorted(entries)], batch)
        sent += len(entries)
    return len(ordered), sent


def _send_difference(s: Session, before: CatalogView, after: CatalogView) -> None:
    """Upsert new/changed groups (parents first), then the items (withdraws before upserts, so a
    barcode moving with a new code is free), then withdraw groups that left (children first)."""
    group_upserts, group_withdraws = _difference(before.groups, after.groups)
    item_upserts, item_withdraws = _difference(before.items, after.items)
    _enqueue_groups(s, [(e, "upsert") for e in _parents_first(group_upserts)])
    items = [(e, "withdraw") for e in item_withdraws] + [(e, "upsert") for e in item_upserts]
    _enqueue_items(s, items)
    _enqueue_groups(s, [(e, "withdraw") for e in reversed(_parents_first(group_withdraws))])


def _difference(before: dict[int, dict], after: dict[int, dict]) -> tuple[list[dict], list[dict]]:
    """(entries to upsert, entries to withdraw) turning `before` into `after`."""
    upserts, withdraws = [], []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is not None and (new is None or old["code"] != new["code"]):
            withdraws.append(old)
        if new is not None:
            upserts.append(new)
    return upserts, withdraws


def _parents_first(entries: Iterable[dict]) -> list[dict]:
    """Groups ordered so that a parent comes before its children (among the given ones)."""
    by_code = {e["code"]: e for e in entries}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(entry: dict, path: set[str]) -> None:
        code = entry["code"]
        if code in placed or code in path:
            return
        parent = by_code.get(entry["parent_code"] or "")
        if parent is not None:
            place(parent, path | {code})
        placed.add(code)
        ordered.append(entry)

    for entry in sorted(by_code.values(), key=lambda e: e["code"]):
        place(entry, set())
    return ordered


def _enqueue_groups(s: Session, entries: Sequence[tuple[dict, str]], batch: int = BATCH) -> None:
    for start in range(0, len(entries), batch):
        groups = [ClassifierGroup(**e, action=action) for e, action in entries[start : start + batch]]
        enqueue(s, ClassifierV1(groups=groups), **STREAM)


def _enqueue_items(s: Session, entries: Sequence[tuple[dict, str]], batch: int = BATCH) -> None:
    for start in range(0, len(entries), batch):
        items = [_goods_item(e, action) for e, action in entries[start : start + batch]]
        enqueue(s, GoodsV1(items=items), **STREAM)


def _goods_item(entry: dict, action: str) -> GoodsItem:
    return GoodsItem(**{**entry, "unit": UnitEntry(**entry["unit"]), "barcodes": list(entry["barcodes"])}, action=action)


# --- entries ------------------------------------------------------------------------------------


def _languages() -> list[str]:
    return list(get_settings().exchange_languages)


def _group_entries(s: Session, group_ids: Sequence[int]) -> dict[int, dict]:
    """Entries of the groups among `group_ids` that take part."""
    s.flush()
    flagged = groups_taking_part(s, group_ids)
    wanted = [g for g in group_ids if g in flagged]
    if not wanted:
        return {}
    parents = dict(s.execute(select(ItemGroup.id, ItemGroup.parent_id).where(ItemGroup.id.in_(wanted))).all())
    known = set(wanted) | {p for p in parents.values() if p is not None}
    codes = dict(s.execute(select(ItemGroup.id, ItemGroup.code).where(ItemGroup.id.in_(known))).all())
    names = _texts(s, ItemGroupTranslation, ItemGroupTranslation.group_id, wanted, "name")
    return {
        g: {
            "code": codes[g],
            "parent_code": codes[parents[g]] if parents[g] is not None else None,
            "names": names.get(g, {}),
        }
        for g in wanted
    }


def _item_entries(s: Session, item_ids: Sequence[int]) -> dict[int, dict]:
    """Entries of the items among `item_ids` that take part."""
    s.flush()
    entries: dict[int, dict] = {}
    units: dict[int, dict] | None = None
    for chunk in _chunks(sorted(set(item_ids))):
        rows = s.execute(
            select(Item.id, Item.code, Item.article, Item.kind, Item.group_id, Item.unit_id, Brand.name.label("brand"))
            .outerjoin(Brand, Brand.id == Item.brand_id)
            .where(Item.id.in_(chunk), Item.use_in_wms.is_(True))
        ).all()
        flagged = groups_taking_part(s, {r.group_id for r in rows})
        rows = [r for r in rows if r.group_id in flagged]
        if not rows:
            continue
        units = units if units is not None else _units(s)
        ids = [r.id for r in rows]
        group_codes = dict(
            s.execute(
                select(ItemGroup.id, ItemGroup.code).where(ItemGroup.id.in_({r.group_id for r in rows}))
            ).all()
        )
        names = _texts(s, ItemTranslation, ItemTranslation.item_id, ids, "name")
        descriptions = _texts(s, ItemTranslation, ItemTranslation.item_id, ids, "description")
        barcodes: dict[int, list[str]] = {}
        for item_id, code in s.execute(
            select(Barcode.item_id, Barcode.barcode).where(Barcode.item_id.in_(ids)).order_by(Barcode.barcode)
        ):
            barcodes.setdefault(item_id, []).append(code)
        for r in rows:
            entries[r.id] = {
                "code": r.code,
                "article": r.article,
                "brand": r.brand,
                "group_code": group_codes[r.group_id],
                "unit": units[r.unit_id],
                "names": names.get(r.id, {}),
                "descriptions": {lang: text[:_TEXT_MAX] for lang, text in descriptions.get(r.id, {}).items()},
                "barcodes": tuple(barcodes.get(r.id, ())),
                # Machines are kept, picked and shipped by their serial number (frame / engine number).
                "serial_tracked": r.kind == SERIAL_TRACKED_KIND,
            }
    return entries


def _units(s: Session) -> dict[int, dict]:
    first = _languages()[0] if _languages() else "ru"
    return {
        u.id: {"code": u.code, "name": pick_name(u.names or {}, first) or u.code, "decimals": u.precision}
        for u in s.scalars(select(Unit))
    }


def _texts(s: Session, model: type, key: object, ids: Sequence[int], column: str) -> dict[int, dict[str, str]]:
    """{id: {lang: text}} of the non-empty texts in the exchange's languages, in their order."""
    languages = _languages()
    found: dict[int, dict[str, str]] = {}
    rows = s.execute(
        select(key, model.lang, getattr(model, column)).where(key.in_(ids), model.lang.in_(languages))
    )
    for owner, lang, text in rows:
        if text:
            found.setdefault(owner, {})[lang] = text
    order = {lang: n for n, lang in enumerate(languages)}
    return {owner: dict(sorted(texts.items(), key=lambda kv: order[kv[0]])) for owner, texts in found.items()}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
