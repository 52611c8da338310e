"""Catalog search on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm): exact result lists for
articles, OEM numbers, analogues, names with typos, every filter, paging, languages, and the
index following catalog edits."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from dealerhub.core import catalog as cat
from dealerhub.core import stock
from dealerhub.core.catalog import CatalogQuery, search_items
from dealerhub.shared.db import Database
from tests import factories as f

Q = CatalogQuery


@pytest.fixture
def shop(core_db: Database) -> SimpleNamespace:
    """Seven items in PARTS > {HYDRAULICS, FILTERS > OIL}, two brands, a machine model, stock."""
    with core_db.transaction() as s:
        u = f.staff(s).id
        pcs = cat.create_unit(s, user_id=u, code="pcs", names={"ru": "шт", "en": "pcs"}).id
        shanmon = cat.create_brand(s, user_id=u, name="Shanmon").id
        liugong = cat.create_brand(s, user_id=u, name="Liugong").id
        parts = cat.create_group(s, user_id=u, code="PARTS", names={"ru": "Запчасти"}).id
        hydraulics = cat.create_group(s, user_id=u, code="HYD", names={"ru": "Гидравлика"}, parent_id=parts).id
        filters = cat.create_group(s, user_id=u, code="FLT", names={"ru": "Фильтры"}, parent_id=parts).id
        oil = cat.create_group(s, user_id=u, code="OIL", names={"ru": "Масляные"}, parent_id=filters).id
        model = cat.create_machine_model(s, user_id=u, brand_id=liugong, name="CLG856", machine_type="wheel_loader").id

        def item(code: str, article: str, group: int, brand: int | None, **names: str) -> int:
            return cat.create_item(
                s, user_id=u, code=code, article=article, group_id=group, unit_id=pcs, brand_id=brand, names=names
            ).id

        ids = SimpleNamespace(
            pump=item("P1", "AB 123", hydraulics, shanmon, ru="Насос гидравлический", en="Hydraulic pump"),
            seal=item("P2", "AB-1234", hydraulics, liugong, ru="Ремкомплект гидроцилиндра", en="Hydraulic cylinder seal kit"),
            cross=item("P3", "ZX-9", hydraulics, None, ru="Насос шестерённый", en="Gear pump ZX"),
            gear=item("P4", "Q-77", hydraulics, liugong, ru="Насос шестерённый малый", en="Small gear pump"),
            oil=item("P5", "F-100", oil, shanmon, ru="Фильтр масляный", en="Oil filter"),
            fuel=item("P6", "F-200", filters, liugong, ru="Фильтр топливный"),
            old=item("P7", "F-300", filters, liugong, ru="Фильтр снятый с производства"),
        )
        cat.add_oem_number(s, ids.cross, user_id=u, number="ab.123", maker="CAT")
        cat.add_oem_number(s, ids.fuel, user_id=u, number="1R-0750", maker="CAT")
        cat.link_analogues(s, ids.pump, ids.gear, user_id=u, two_way=False)
        cat.set_applicability(s, ids.oil, user_id=u, machine_model_ids=[model])
        cat.update_item(s, ids.old, user_id=u, is_active=False)
        main, spare, defect = f.warehouse(s), f.warehouse(s), f.warehouse(s, kind="defect")
        for it, wh, qty in ((ids.pump, main, "5"), (ids.oil, spare, "2"), (ids.fuel, defect, "9"), (ids.seal, main, "1")):
            f.put_stock(s, s.get(cat.models.Item, it), wh, qty)
        # The seal's only unit is reserved: nothing free.
        stock.reserve(
            s, item_id=ids.seal, warehouse_id=main.id, quantity=Decimal(1),
            holder=stock.Holder("test", 1), doc=stock.DocRef("test", 1),
        )
    return SimpleNamespace(
        **vars(ids), u=u, pcs=pcs, shanmon=shanmon, liugong=liugong, parts=parts, hydraulics=hydraulics,
        filters=filters, oil_group=oil, model=model, main=main.id, spare=spare.id, defect=defect.id,
    )


def found(db: Database, query: CatalogQuery, *, lang: str = "en", limit: int = 50, offset: int = 0) -> list[tuple]:
    with db.session() as s:
        page = search_items(s, query, lang=lang, limit=limit, offset=offset)
    return [(h.article, h.match) for h in page.hits]


def test_an_article_typed_any_way_finds_article_oem_analogue_and_prefix_hits_in_that_order(core_db, shop):
    expected = [("AB 123", "exact"), ("ZX-9", "exact"), ("Q-77", "analogue"), ("AB-1234", "prefix")]
    for typed in ("ab-12.3", "AB 123", "ab/123", "  Ab_12-3 "):
        assert found(core_db, Q(text=typed)) == expected, typed


def test_a_prefix_finds_longer_articles_and_oem_numbers(core_db, shop):
    assert found(core_db, Q(text="f-")) == [("F-100", "prefix"), ("F-200", "prefix")]
    assert found(core_db, Q(text="1r07")) == [("F-200", "prefix")]
    assert found(core_db, Q(text="1R 0750")) == [("F-200", "exact")]


def test_names_are_found_with_typos(core_db, shop):
    assert found(core_db, Q(text="hydravlic")) == [("AB 123", "name"), ("AB-1234", "name")]
    assert found(core_db, Q(text="гидравличский")) == [("AB 123", "name")]
    assert found(core_db, Q(text="Фильтр")) == [("F-100", "name"), ("F-200", "name")]
    assert found(core_db, Q(text="zzzqqq")) == []
    assert found(core_db, Q(text="hydraulic zzzqqq")) == []  # every word must be there
    assert found(core_db, Q(text="насос гидравл")) == [("AB 123", "name")]  # a word being typed


def test_names_hold_every_word_and_the_closest_come_first(core_db, shop):
    with core_db.session() as s:
        hits = search_items(s, Q(text="gear pump"), lang="en").hits
    # Both words only in "Gear pump ZX" (the query covers 9 of its 12 characters) and "Small gear pump".
    assert [(h.article, h.score) for h in hits] == [("ZX-9", 0.75), ("Q-77", 0.6)]


def test_filters_by_brand_group_with_subgroups_machine_model_and_free_stock(core_db, shop):
    assert found(core_db, Q(brand_id=shop.shanmon)) == [("AB 123", "browse"), ("F-100", "browse")]
    assert found(core_db, Q(group_id=shop.filters)) == [("F-100", "browse"), ("F-200", "browse")]
    assert found(core_db, Q(group_id=shop.oil_group)) == [("F-100", "browse")]
    assert found(core_db, Q(machine_model_id=shop.model)) == [("F-100", "browse")]
    # Free stock: the pump on main; not the seal (all reserved), not the fuel filter (defect warehouse).
    assert found(core_db, Q(in_stock_on=(shop.main,))) == [("AB 123", "browse")]
    assert found(core_db, Q(in_stock_on=(shop.main, shop.spare))) == [("AB 123", "browse"), ("F-100", "browse")]
    assert found(core_db, Q(in_stock_on=(shop.defect,))) == []
    assert found(core_db, Q(text="ab123", brand_id=shop.liugong)) == [("Q-77", "analogue"), ("AB-1234", "prefix")]
    assert found(core_db, Q(text="фильтр", brand_id=shop.liugong)) == [("F-200", "name")]


def test_inactive_items_are_left_out_unless_asked_for(core_db, shop):
    assert found(core_db, Q(text="F-300")) == []
    assert found(core_db, Q(text="F-300", only_active=False)) == [("F-300", "exact")]


def test_paging_keeps_the_order_and_counts_everything(core_db, shop):
    everything = found(core_db, Q())
    assert [a for a, _ in everything] == ["AB 123", "AB-1234", "F-100", "F-200", "Q-77", "ZX-9"]
    with core_db.session() as s:
        page = search_items(s, Q(), lang="en", limit=4, offset=4)
        past_the_end = search_items(s, Q(), lang="en", limit=4, offset=8)
    assert ([h.article for h in page.hits], page.total) == (["Q-77", "ZX-9"], 6)
    assert (past_the_end.hits, past_the_end.total) == ([], 6)


def test_names_come_in_the_dealers_language_with_fallback(core_db, shop):
    with core_db.session() as s:
        en = {h.article: h.name for h in search_items(s, Q(group_id=shop.filters), lang="en").hits}
        ru = {h.article: h.name for h in search_items(s, Q(group_id=shop.filters), lang="ru").hits}
        zh = search_items(s, Q(text="AB 123"), lang="zh").hits[0]
    assert en == {"F-100": "Oil filter", "F-200": "Фильтр топливный"}
    assert ru == {"F-100": "Фильтр масляный", "F-200": "Фильтр топливный"}
    assert (zh.name, zh.brand, zh.unit) == ("Насос гидравлический", "Shanmon", "шт")


def test_text_with_nothing_to_search_by_finds_nothing(core_db, shop):
    assert found(core_db, Q(text="--./")) == []
    assert found(core_db, Q(text='"*')) == []


def test_catalog_edits_keep_the_index_in_step(core_db, shop):
    with core_db.transaction() as s:
        cat.update_item(s, shop.oil, user_id=shop.u, names={"en": "Engine oil cartridge"}, article="F-101")
        cat.update_item(s, shop.pump, user_id=shop.u, names={"en": ""})  # the English name removed
        cat.add_oem_number(s, shop.seal, user_id=shop.u, number="77-X")
    assert found(core_db, Q(text="oil filter")) == []
    assert found(core_db, Q(text="cartrige")) == [("F-101", "name")]
    assert found(core_db, Q(text="F-100")) == []
    assert found(core_db, Q(text="f101")) == [("F-101", "exact")]
    assert found(core_db, Q(text="hydraulic pump")) == []
    assert found(core_db, Q(text="hydraulic")) == [("AB-1234", "name")]
    assert found(core_db, Q(text="77x")) == [("AB-1234", "exact")]
    with core_db.transaction() as s:
        cat.remove_oem_number(s, shop.seal, user_id=shop.u, number="77-X")
    assert found(core_db, Q(text="77x")) == []
    _assert_fts_in_step(core_db)


def _assert_fts_in_step(db: Database) -> None:
    """SQLite: the FTS table holds exactly each item's name keys (PostgreSQL indexes the column itself)."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.session() as s:
        indexed = dict(s.execute(text("SELECT rowid, names FROM item_names_fts")).all())
        rows = s.execute(text("SELECT item_id, name_key FROM item_translations")).all()
    expected: dict[int, set[str]] = {}
    for item_id, key in rows:
        expected.setdefault(item_id, set()).add(key)
    assert {k: set(v.split(" | ")) for k, v in indexed.items()} == expected
