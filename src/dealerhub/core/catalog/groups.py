"""Item groups: the catalog's tree (and the WMS classifier)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog import rules, wms_messages
from dealerhub.core.catalog._common import (
    apply_changes,
    catalog_languages,
    clean_text,
    diff_by_lang,
    ensure_exists,
    ensure_unique,
    refuse_unknown_fields,
)
from dealerhub.core.catalog.errors import GroupNotFound
from dealerhub.core.catalog.models import ItemGroup, ItemGroupTranslation
from dealerhub.shared.texts import T

ENTITY = "item_group"
_EDITABLE = frozenset({"code", "parent_id", "use_in_wms", "sort_order", "names"})
# Changes of a group that can change what the WMS must know of the items under it.
_TOUCHES_ITEMS = frozenset({"code", "parent_id", "use_in_wms"})


@dataclass
class GroupNode:
    id: int
    code: str
    name: str
    use_in_wms: bool
    children: list[GroupNode] = field(default_factory=list)


def create_group(
    s: Session,
    *,
    user_id: int | None,
    code: str,
    names: dict[str, str],
    parent_id: int | None = None,
    use_in_wms: bool = False,
) -> ItemGroup:
    code = clean_text(code, "code", 32)
    clean_names = rules.check_names(names, catalog_languages())
    ensure_unique(s, ItemGroup.code, code, what=T("item group code"))
    ensure_exists(s, ItemGroup, parent_id, T("parent group"))
    group = ItemGroup(code=code, parent_id=parent_id, use_in_wms=bool(use_in_wms))
    group.translations = [ItemGroupTranslation(lang=lang, name=name) for lang, name in clean_names.items()]
    s.add(group)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=group.id,
        action="create",
        code=code,
        parent_id=parent_id,
        use_in_wms=group.use_in_wms,
        names=clean_names,
    )
    wms_messages.group_created(s, group.id)  # CLASSIFIER, if it takes part
    return group


def update_group(s: Session, group_id: int, *, user_id: int | None, **fields: Any) -> ItemGroup:
    """Change code, parent (never under itself or a descendant), use_in_wms, sort_order, names."""
    refuse_unknown_fields(fields, _EDITABLE, T("an item group"))
    group = get_group(s, group_id, for_update=True)
    # What the WMS knows of the subtree; its items only if the change can touch them.
    before = wms_messages.subtree_view(s, group.id, with_items=bool(_TOUCHES_ITEMS & set(fields)))
    values = dict(fields)
    names = values.pop("names", None)
    if "code" in values:
        values["code"] = clean_text(values["code"], "code", 32)
        ensure_unique(s, ItemGroup.code, values["code"], what=T("item group code"), exclude_id=group.id)
    if "parent_id" in values and values["parent_id"] != group.parent_id:
        ensure_exists(s, ItemGroup, values["parent_id"], T("parent group"))
        rules.check_parent(group.id, values["parent_id"], lambda g: _parent_of_locked(s, g))
    if "use_in_wms" in values:
        values["use_in_wms"] = bool(values["use_in_wms"])
    changed = apply_changes(group, values)
    if names is not None:
        changed.update(_merge_names(group, names))
    if changed:
        s.flush()
        record_change(
            s, user_id=user_id, entity_type=ENTITY, entity_id=group.id, action="update", changes=changed
        )
        wms_messages.subtree_changed(s, before)  # CLASSIFIER/GOODS upserts and withdraws
    return group


def get_group(s: Session, group_id: int, *, for_update: bool = False) -> ItemGroup:
    query = select(ItemGroup).where(ItemGroup.id == group_id)
    group = s.scalar(query.with_for_update() if for_update else query)
    if group is None:
        raise GroupNotFound(T("item group %(id)s not found", id=group_id), group_id=group_id)
    return group


def group_tree(s: Session, lang: str) -> list[GroupNode]:
    """The whole tree, roots first; siblings by sort order, then code."""
    groups = list(s.scalars(select(ItemGroup).order_by(ItemGroup.sort_order, ItemGroup.code)))
    nodes = {
        g.id: GroupNode(g.id, g.code, rules.pick_name(_names(g), lang) or g.code, g.use_in_wms)
        for g in groups
    }
    roots: list[GroupNode] = []
    for g in groups:
        (nodes[g.parent_id].children if g.parent_id in nodes else roots).append(nodes[g.id])
    return roots


def group_name(group: ItemGroup, lang: str) -> str:
    return rules.pick_name(_names(group), lang) or group.code


def subgroup_ids(s: Session, group_id: int) -> list[int]:
    """The group and all its descendants (one recursive query)."""
    tree = select(ItemGroup.id).where(ItemGroup.id == group_id).cte("subtree", recursive=True)
    tree = tree.union(select(ItemGroup.id).where(ItemGroup.parent_id == tree.c.id))  # UNION: stops on a loop
    return list(s.scalars(select(tree.c.id)))


def groups_in_wms(s: Session) -> set[int]:
    """Ids of the groups the exchange sends to the WMS: flagged, and every ancestor flagged."""
    rows = s.execute(select(ItemGroup.id, ItemGroup.parent_id, ItemGroup.use_in_wms)).all()
    return rules.groups_flagged_for_wms({r.id: r.parent_id for r in rows}, {r.id: r.use_in_wms for r in rows})


def group_chain_in_wms(s: Session, group_id: int) -> bool:
    """True if the group and every ancestor are flagged "use in WMS"."""
    seen: set[int] = set()
    current: int | None = group_id
    while current is not None and current not in seen:
        seen.add(current)
        row = s.execute(
            select(ItemGroup.parent_id, ItemGroup.use_in_wms).where(ItemGroup.id == current)
        ).one()
        if not row.use_in_wms:
            return False
        current = row.parent_id
    return current is None


def _parent_of_locked(s: Session, group_id: int) -> int | None:
    # Locking the ancestors (PostgreSQL) serialises two moves that could together close a loop:
    # the later one waits and then sees the committed parent of the earlier one.
    return s.scalar(select(ItemGroup.parent_id).where(ItemGroup.id == group_id).with_for_update())


def _names(group: ItemGroup) -> dict[str, str]:
    return {t.lang: t.name for t in group.translations}


def _merge_names(group: ItemGroup, names: dict[str, str]) -> dict[str, list[Any]]:
    """Set the given languages ('' removes one); the first language keeps a name."""
    languages = catalog_languages()
    old = _names(group)
    rules.check_languages(names, languages, what="names")
    merged = {**old, **{lang: (name or "").strip() for lang, name in names.items()}}
    new = rules.check_names(merged, languages)
    by_lang = {t.lang: t for t in group.translations}
    for lang in set(old) - set(new):
        group.translations.remove(by_lang[lang])
    for lang, name in new.items():
        if lang in by_lang:
            by_lang[lang].name = name
        else:
            group.translations.append(ItemGroupTranslation(lang=lang, name=name))
    return diff_by_lang("name", old, new)
