"""The catalog on a real database: the group tree, items and their translations, search, reference
lists. Every refusal leaves nothing written (rows and audit records counted)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert

from dealerhub.core import catalog as cat
from dealerhub.core.catalog.models import Item, ItemGroup, ItemTranslation
from tests.integration.catalog_builders import NAMES, catalog_basics, new_item
from tests.integration.masterdata_helpers import audit, count

_item = new_item


@pytest.fixture
def ref(core_db):
    return catalog_basics(core_db)


def _counts(db, *models):
    with db.session() as s:
        return (
            [count(s, m) for m in models],
            [a for a, _ in audit(s, "item")],
            [a for a, _ in audit(s, "item_group")],
        )


def test_group_tree_with_names_per_language(core_db, ref):
    with core_db.session() as s:
        assert cat.group_tree(s, "en") == [
            cat.GroupNode(
                ref.parts,
                "PARTS",
                "Parts",
                True,
                [
                    cat.GroupNode(
                        ref.filters,
                        "FILTERS",
                        "Фильтры",
                        True,
                        [cat.GroupNode(ref.oil, "OIL", "Масляные", False)],
                    ),
                ],
            ),
        ]
        assert audit(s, "item_group", ref.filters) == [
            (
                "create",
                {
                    "code": "FILTERS",
                    "parent_id": ref.parts,
                    "use_in_wms": True,
                    "names": {"ru": "Фильтры"},
                },
            )
        ]


@pytest.mark.parametrize(
    "fields,error,status",
    [
        ({"code": "OIL"}, cat.DuplicateCode, 409),
        ({"parent_id": 999}, cat.UnknownReference, 422),
        ({"names": {"en": "Fuel"}}, cat.InvalidCatalogData, 422),
        ({"names": {"ru": "Топливные", "de": "Kraftstoff"}}, cat.InvalidCatalogData, 422),
    ],
)
def test_refused_group_writes_nothing(core_db, ref, fields, error, status):
    before = _counts(core_db, ItemGroup)
    with pytest.raises(error) as err, core_db.transaction() as s:
        cat.create_group(s, user_id=ref.user, **{"code": "FUEL", "names": {"ru": "Топливные"}, **fields})
    assert err.value.http_status == status
    assert _counts(core_db, ItemGroup) == before


def test_a_group_cannot_move_under_itself_or_its_descendant(core_db, ref):
    for group, parent in ((ref.parts, ref.oil), (ref.parts, ref.parts), (ref.filters, ref.oil)):
        with pytest.raises(cat.GroupCycle) as err, core_db.transaction() as s:
            cat.update_group(s, group, user_id=ref.user, parent_id=parent, code="MOVED")
        assert err.value.http_status == 422
    with core_db.transaction() as s:
        cat.update_group(s, ref.oil, user_id=ref.user, parent_id=None, use_in_wms=True, names={"en": "Oil"})
    with core_db.session() as s:
        assert {g.code: g.parent_id for g in s.query(ItemGroup)} == {
            "PARTS": None,
            "FILTERS": ref.parts,
            "OIL": None,
        }
        assert audit(s, "item_group", ref.oil)[1:] == [
            (
                "update",
                {
                    "changes": {
                        "parent_id": [ref.filters, None],
                        "use_in_wms": [False, True],
                        "name.en": [None, "Oil"],
                    }
                },
            )
        ]
        assert [a for a, _ in audit(s, "item_group")] == ["create", "create", "create", "update"]


def test_use_in_wms_needs_the_item_and_every_ancestor_group(core_db, ref):
    item = _item(core_db, ref, group_id=ref.oil)
    with core_db.session() as s:
        assert not cat.effective_use_in_wms(s, item)  # OIL is not flagged
        assert cat.groups_in_wms(s) == {ref.parts, ref.filters}
    with core_db.transaction() as s:
        cat.update_group(s, ref.oil, user_id=ref.user, use_in_wms=True)
    with core_db.session() as s:
        assert cat.effective_use_in_wms(s, item)
    with core_db.transaction() as s:
        cat.update_group(s, ref.parts, user_id=ref.user, use_in_wms=False)  # the root switched off
    with core_db.session() as s:
        assert not cat.effective_use_in_wms(s, item)
        assert cat.groups_in_wms(s) == set()
    with core_db.transaction() as s:
        cat.update_group(s, ref.parts, user_id=ref.user, use_in_wms=True)
        cat.update_item(s, item, user_id=ref.user, use_in_wms=False)
    with core_db.session() as s:
        assert not cat.effective_use_in_wms(s, item)


def test_create_item(core_db, ref):
    item_id = _item(
        core_db, ref, code="SH-1", article=" 6i-2503 ", descriptions={"en": "Spin-on"}, brand_id=ref.brand
    )
    with core_db.session() as s:
        item = cat.get_item(s, item_id)
        assert (
            item.code,
            item.article,
            item.article_key,
            item.kind,
            item.use_in_wms,
            item.vat_rate,
            item.is_active,
        ) == ("SH-1", "6i-2503", "6I2503", "spare_part", True, Decimal("20.00"), True)
        assert (item.unit.code, item.brand.name, item.brand.country) == ("pcs", "Shanmon", "CN")
        assert [cat.item_name(item, lang) for lang in ("zh", "en", "de")] == [
            "机油滤清器",
            "Oil filter",
            "Фильтр масляный",
        ]
        assert (cat.item_description(item, "en"), cat.item_description(item, "ru")) == ("Spin-on", "Spin-on")
        assert audit(s, "item", item_id) == [
            (
                "create",
                {
                    "code": "SH-1",
                    "article": "6i-2503",
                    "article_key": "6I2503",
                    "group_id": ref.filters,
                    "unit_id": ref.pcs,
                    "kind": "spare_part",
                    "brand_id": ref.brand,
                    "use_in_wms": True,
                    "vat_rate": "20",
                    "names": NAMES,
                    "descriptions": {"en": "Spin-on"},
                },
            )
        ]


@pytest.mark.parametrize(
    "fields,error,status",
    [
        ({"code": "TAKEN"}, cat.DuplicateCode, 409),
        ({"group_id": 999}, cat.UnknownReference, 422),
        ({"unit_id": 999}, cat.UnknownReference, 422),
        ({"brand_id": 999}, cat.UnknownReference, 422),
        ({"kind": "toy"}, cat.InvalidCatalogData, 422),
        ({"article": " -- "}, cat.InvalidCatalogData, 422),
        ({"names": {"en": "Filter"}}, cat.InvalidCatalogData, 422),
        ({"names": {"ru": "Фильтр", "de": "Filter"}}, cat.InvalidCatalogData, 422),
        ({"names": {"ru": "Фильтр"}, "descriptions": {"en": "Spin-on"}}, cat.InvalidCatalogData, 422),
        ({"vat_rate": 20.0}, cat.InvalidCatalogData, 422),
        ({"vat_rate": Decimal(100)}, cat.InvalidCatalogData, 422),
    ],
)
def test_refused_item_writes_nothing(core_db, ref, fields, error, status):
    _item(core_db, ref, code="TAKEN")
    before = _counts(core_db, Item, ItemTranslation)
    with pytest.raises(error) as err:
        _item(core_db, ref, **{"code": "NEW", **fields})
    assert err.value.http_status == status
    assert _counts(core_db, Item, ItemTranslation) == before


def test_update_item_and_its_translations(core_db, ref):
    item_id = _item(core_db, ref)
    with core_db.transaction() as s:
        cat.update_item(
            s, item_id, user_id=ref.user, article="6i 2503-a", vat_rate=Decimal(10), kind="consumable"
        )
        cat.set_item_translation(
            s, item_id, user_id=ref.user, lang="en", name="Spin-on oil filter", description="New"
        )
        cat.update_item(
            s, item_id, user_id=ref.user, names={"zh": ""}, use_in_wms=True
        )  # zh removed, flag unchanged
    refusals = [
        ({"colour": "red"}, cat.InvalidCatalogData),
        ({"names": {"ru": ""}}, cat.InvalidCatalogData),
        ({"unit_id": None}, cat.InvalidCatalogData),
        ({"group_id": 999}, cat.UnknownReference),
    ]
    for fields, error in refusals:
        with pytest.raises(error), core_db.transaction() as s:
            cat.update_item(s, item_id, user_id=ref.user, article="CHANGED", **fields)
    with pytest.raises(cat.InvalidCatalogData), core_db.transaction() as s:
        cat.set_item_translation(s, item_id, user_id=ref.user, lang="de", name="Ölfilter")
    with pytest.raises(cat.ItemNotFound) as err, core_db.transaction() as s:
        cat.update_item(s, 999, user_id=ref.user, article="X")
    assert err.value.http_status == 404
    with core_db.session() as s:
        item = cat.get_item(s, item_id)
        assert (item.article, item.article_key, item.vat_rate, item.kind) == (
            "6i 2503-a",
            "6I2503A",
            Decimal(10),
            "consumable",
        )
        assert {t.lang: (t.name, t.description) for t in item.translations} == {
            "ru": ("Фильтр масляный", None),
            "en": ("Spin-on oil filter", "New"),
        }
        assert (
            cat.find_items(s, text="SPIN-ON")[1] == 1 and cat.find_items(s, text="机油")[1] == 0
        )  # name keys follow
        assert audit(s, "item", item_id)[1:] == [
            (
                "update",
                {
                    "changes": {
                        "article": ["6I-2503", "6i 2503-a"],
                        "article_key": ["6I2503", "6I2503A"],
                        "vat_rate": ["20.00", "10"],
                        "kind": ["spare_part", "consumable"],
                    }
                },
            ),
            (
                "update",
                {
                    "changes": {
                        "name.en": ["Oil filter", "Spin-on oil filter"],
                        "description.en": [None, "New"],
                    }
                },
            ),
            ("update", {"changes": {"name.zh": ["机油滤清器", None]}}),
        ]


def test_find_items(core_db, ref):
    with core_db.transaction() as s:
        other_brand = cat.create_brand(s, user_id=ref.user, name="Weichai").id
    oil = _item(core_db, ref, article="6I-2503", group_id=ref.oil, brand_id=ref.brand)
    fuel = _item(core_db, ref, article="1R-0750", names={"ru": "Фильтр топливный", "en": "Fuel filter"})
    pump = _item(
        core_db,
        ref,
        article="61500-080",
        group_id=ref.parts,
        brand_id=other_brand,
        names={"ru": "Насос масляный 100%", "zh": "机油泵"},
    )
    with core_db.transaction() as s:
        cat.add_oem_number(s, pump, user_id=ref.user, number="WD615.47")
    with core_db.session() as s:

        def find(**kwargs):
            items, total = cat.find_items(s, **kwargs)
            return [i.id for i in items], total

        assert find() == ([fuel, pump, oil], 3)  # by article
        assert find(text="6i 2503") == ([oil], 1)  # article key, separators ignored
        assert find(text="6I-25") == ([oil], 1)  # a prefix
        assert find(text="6") == ([pump, oil], 2)
        assert find(text="615") == ([pump], 1)
        assert find(text="wd615-4") == ([pump], 1)  # OEM number prefix
        assert find(text="ФИЛЬТР") == ([fuel, oil], 2)  # name, any case, Cyrillic
        assert find(text="масляный") == ([pump, oil], 2)
        assert find(text="oil") == ([oil], 1)
        assert find(text="机油") == ([pump, oil], 2)  # any language
        assert find(text="%") == ([pump], 1)  # LIKE wildcards are plain text
        assert find(text="2503 фильтр") == ([], 0)
        assert find(group_id=ref.filters) == ([fuel, oil], 2)  # subgroups included
        assert find(group_id=ref.oil, text="фильтр") == ([oil], 1)
        assert find(brand_id=ref.brand) == ([oil], 1)
        assert find(limit=1, offset=1) == ([pump], 3)


def test_names_inserted_in_bulk_get_their_search_key(core_db, ref):
    item_id = _item(core_db, ref, names={"ru": "Втулка"})
    with core_db.transaction() as s:  # the way a seed loads thousands of rows: Core, no ORM objects
        s.execute(
            insert(ItemTranslation),
            [
                {"item_id": item_id, "lang": "en", "name": "Bronze  BUSHING"},
                {"item_id": item_id, "lang": "zh", "name": "青铜衬套"},
            ],
        )
    with core_db.session() as s:
        keys = {t.lang: t.name_key for t in cat.get_item(s, item_id).translations}
        assert keys == {"ru": "втулка", "en": "bronze bushing", "zh": "青铜衬套"}


def test_reference_lists(core_db, ref):
    refusals = [
        (
            lambda s: cat.create_unit(s, user_id=None, code="kg", names={"ru": "кг"}, precision=4),
            cat.InvalidCatalogData,
        ),
        (lambda s: cat.create_unit(s, user_id=None, code="pcs", names={"ru": "шт"}), cat.DuplicateCode),
        (lambda s: cat.create_brand(s, user_id=None, name="Shanmon"), cat.DuplicateCode),
        (lambda s: cat.create_brand(s, user_id=None, name="Kato", country="JPN"), cat.InvalidCatalogData),
        (
            lambda s: cat.create_machine_model(
                s, user_id=None, brand_id=999, name="X1", machine_type="crane"
            ),
            cat.UnknownReference,
        ),
    ]
    for refused, error in refusals:
        with pytest.raises(error), core_db.transaction() as s:
            refused(s)
    with core_db.session() as s:
        assert [(u.code, u.precision) for u in cat.list_units(s)] == [("l", 3), ("pcs", 0)]
        assert [b.name for b in cat.list_brands(s)] == ["Shanmon"]
        assert cat.list_properties(s) == [] and cat.list_machine_models(s, brand_id=ref.brand) == []
        assert [a for a, _ in audit(s, "unit")] == ["create", "create"]
        assert audit(s, "brand") == [("create", {"name": "Shanmon", "country": "CN"})]
