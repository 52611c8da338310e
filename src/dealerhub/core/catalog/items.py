"""Items: create, change, translate, read. Cross-references and barcodes live in links.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.catalog import rules, wms_messages
from dealerhub.core.catalog._common import (
    apply_changes,
    catalog_languages,
    clean_decimal,
    clean_text,
    diff_by_lang,
    ensure_exists,
    ensure_unique,
    refuse_unknown_fields,
)
from dealerhub.core.catalog.errors import InvalidCatalogData, ItemNotFound
from dealerhub.core.catalog.fields import field_name
from dealerhub.core.catalog.groups import group_chain_in_wms
from dealerhub.core.catalog.models import ITEM_KINDS, Brand, Item, ItemGroup, ItemTranslation, Unit
from dealerhub.shared.texts import T

ENTITY = "item"
_BIG = Decimal(10) ** 9
_EDITABLE = frozenset(
    {
        "code",
        "article",
        "group_id",
        "unit_id",
        "brand_id",
        "kind",
        "use_in_wms",
        "vat_rate",
        "is_active",
        "weight_kg",
        "length_mm",
        "width_mm",
        "height_mm",
        "volume_m3",
        "names",
        "descriptions",
    }
)


def create_item(
    s: Session,
    *,
    user_id: int | None,
    code: str,
    article: str,
    group_id: int,
    unit_id: int,
    names: dict[str, str],
    descriptions: dict[str, str] | None = None,
    kind: str = "spare_part",
    brand_id: int | None = None,
    use_in_wms: bool = True,
    vat_rate: Decimal = Decimal(20),
) -> Item:
    values = _clean_values(
        s,
        {
            "code": code,
            "article": article,
            "group_id": group_id,
            "unit_id": unit_id,
            "kind": kind,
            "brand_id": brand_id,
            "use_in_wms": use_in_wms,
            "vat_rate": vat_rate,
        },
    )
    languages = catalog_languages()
    clean_names = rules.check_names(names, languages)
    clean_descriptions = _clean_descriptions(descriptions or {}, clean_names, languages)
    item = Item(**values)
    item.translations = [
        ItemTranslation(lang=lang, name=name, description=clean_descriptions.get(lang))
        for lang, name in clean_names.items()
    ]
    s.add(item)
    s.flush()
    record_change(
        s,
        user_id=user_id,
        entity_type=ENTITY,
        entity_id=item.id,
        action="create",
        **values,
        names=clean_names,
        descriptions=clean_descriptions,
    )
    wms_messages.item_created(s, item.id)  # GOODS, if it takes part
    return item


def update_item(s: Session, item_id: int, *, user_id: int | None, **fields: Any) -> Item:
    """Change any of the editable fields; names/descriptions merge per language ('' removes)."""
    refuse_unknown_fields(fields, _EDITABLE, T("an item"))
    item = get_item(s, item_id, for_update=True)
    before = wms_messages.item_view(s, item.id)
    values = dict(fields)
    names, descriptions = values.pop("names", None), values.pop("descriptions", None)
    changed = apply_changes(item, _clean_values(s, values, item_id=item.id))
    if names is not None or descriptions is not None:
        changed.update(_merge_translations(item, names or {}, descriptions or {}))
    if changed:
        s.flush()
        record_change(
            s, user_id=user_id, entity_type=ENTITY, entity_id=item.id, action="update", changes=changed
        )
        wms_messages.item_changed(s, before)  # GOODS upsert or withdraw, if the WMS must know
    return item


def set_item_translation(
    s: Session, item_id: int, *, user_id: int | None, lang: str, name: str, description: str | None = None
) -> Item:
    """Name (and description) in one language. description None keeps it, '' clears it."""
    rules.check_languages({lang: name}, catalog_languages(), what="lang")
    descriptions = {} if description is None else {lang: description}
    return update_item(s, item_id, user_id=user_id, names={lang: name}, descriptions=descriptions)


def get_item(s: Session, item_id: int, *, for_update: bool = False) -> Item:
    query = select(Item).where(Item.id == item_id)
    item = s.scalar(query.with_for_update(of=Item) if for_update else query)  # not the joined unit, brand
    if item is None:
        raise ItemNotFound(T("item %(id)s not found", id=item_id), item_id=item_id)
    return item


def item_name(item: Item, lang: str) -> str:
    """The item's name in `lang`, falling back to ru, then to any language."""
    return rules.pick_name({t.lang: t.name for t in item.translations}, lang)


def item_description(item: Item, lang: str) -> str | None:
    by_lang = {t.lang: t.description for t in item.translations if t.description}
    return rules.pick_name(by_lang, lang) or None


def effective_use_in_wms(s: Session, item_id: int) -> bool:
    """Whether the exchange sends the item to the WMS: its flag and every ancestor group's flag."""
    item = get_item(s, item_id)
    return item.use_in_wms and group_chain_in_wms(s, item.group_id)


def _clean_values(s: Session, values: dict[str, Any], *, item_id: int | None = None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, value in values.items():
        clean[field] = _CLEANERS[field](value)
    if "code" in clean:
        ensure_unique(s, Item.code, clean["code"], what=T("item code"), exclude_id=item_id)
    if "article" in clean:
        clean["article_key"] = rules.normalize_article(clean["article"])
        if not clean["article_key"]:
            raise InvalidCatalogData(
                T("article %(article)s has no letters or digits", article=clean["article"]), field="article"
            )
    for field, model, what in (
        ("group_id", ItemGroup, T("group")),
        ("unit_id", Unit, T("unit")),
        ("brand_id", Brand, T("brand")),
    ):
        if field in clean:
            if clean[field] is None and field != "brand_id":
                raise InvalidCatalogData(T("%(field)s is required", field=field_name(field)), field=field)
            ensure_exists(s, model, clean[field], what)
    return clean


def _kind(value: Any) -> str:
    if value not in ITEM_KINDS:
        raise InvalidCatalogData(
            T("kind %(kind)s is not one of %(kinds)s", kind=value, kinds=", ".join(ITEM_KINDS)), field="kind"
        )
    return value


def _dimension(field: str) -> Any:
    def clean(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidCatalogData(
                T("%(field)s must be a whole number of millimetres ≥ 0", field=field_name(field)), field=field
            )
        return value

    return clean


def _measure(field: str, places: int) -> Any:
    def clean(value: Any) -> Decimal | None:
        if value is None:
            return None
        number = clean_decimal(value, field, minimum=Decimal(0), below=_BIG)
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise InvalidCatalogData(
                T("%(field)s allows %(places)s decimal places", field=field_name(field), places=places), field=field
            )
        return number

    return clean


_CLEANERS: dict[str, Any] = {
    "code": lambda v: clean_text(v, "code", 32),
    "article": lambda v: clean_text(v, "article", 64),
    "group_id": lambda v: v,
    "unit_id": lambda v: v,
    "brand_id": lambda v: v,
    "kind": _kind,
    "use_in_wms": bool,
    "is_active": bool,
    "vat_rate": lambda v: _measure("vat_rate", 2)(
        clean_decimal(v, "vat_rate", minimum=Decimal(0), below=Decimal(100))
    ),
    "weight_kg": _measure("weight_kg", 3),
    "volume_m3": _measure("volume_m3", 6),
    "length_mm": _dimension("length_mm"),
    "width_mm": _dimension("width_mm"),
    "height_mm": _dimension("height_mm"),
}


def _clean_descriptions(
    descriptions: dict[str, str], names: dict[str, str], languages: list[str]
) -> dict[str, str]:
    rules.check_languages(descriptions, languages, what="descriptions")
    clean = {lang: text.strip() for lang, text in descriptions.items() if text and text.strip()}
    orphans = sorted(set(clean) - set(names))
    if orphans:
        raise InvalidCatalogData(
            T("a description in %(languages)s needs a name in that language", languages=", ".join(orphans)),
            field="descriptions",
        )
    return clean


def _merge_translations(
    item: Item, names: dict[str, str], descriptions: dict[str, str]
) -> dict[str, list[Any]]:
    languages = catalog_languages()
    by_lang = {t.lang: t for t in item.translations}
    old_names = {lang: t.name for lang, t in by_lang.items()}
    old_descriptions = {lang: t.description for lang, t in by_lang.items() if t.description}
    rules.check_languages(names, languages, what="names")
    new_names = rules.check_names({**old_names, **names}, languages)
    rules.check_languages(descriptions, languages, what="descriptions")
    merged_descriptions = {**old_descriptions, **{lang: text or "" for lang, text in descriptions.items()}}
    # A translation removed by an empty name takes its old description with it.
    merged_descriptions = {
        lang: text for lang, text in merged_descriptions.items() if lang in new_names or lang in descriptions
    }
    new_descriptions = _clean_descriptions(merged_descriptions, new_names, languages)
    for lang in set(by_lang) - set(new_names):
        item.translations.remove(by_lang[lang])
    for lang, name in new_names.items():
        translation = by_lang.get(lang) or ItemTranslation(lang=lang, name=name)
        if lang not in by_lang:
            item.translations.append(translation)
        translation.name, translation.description = name, new_descriptions.get(lang)
    return {
        **diff_by_lang("name", old_names, new_names),
        **diff_by_lang("description", old_descriptions, new_descriptions),
    }
