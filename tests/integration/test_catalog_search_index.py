"""The search's indexes: filled for the demo catalog, in step with it, chosen by PostgreSQL's planner
at a realistic size, and described by the models (no drift in `db check`)."""

from __future__ import annotations

import random
from datetime import date
from itertools import islice

import pytest
from sqlalchemy import select, text

from dealerhub import migrations
from dealerhub.core.catalog import CatalogQuery, search_items
from dealerhub.core.catalog.models import Item, ItemTranslation
from dealerhub.core.catalog.search import search_statement
from dealerhub.core.demo import SeedOptions, catalog_writer, seed_demo
from dealerhub.core.demo.catalog_plan import plan_catalog
from dealerhub.shared.db import Database
from tests.conftest import BACKENDS, drop_pg_database, pg_database_url, require_postgres
from tests.integration.test_catalog_search import _assert_fts_in_step


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(backend, id=backend, marks=[pytest.mark.postgresql] if backend == "postgresql" else [])
        for backend in BACKENDS
    ],
)
def demo(request, tmp_path_factory):
    """A small demo catalog seeded through the real use cases (after the search migration)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('search_demo') / 'core.sqlite3'}"
    else:
        require_postgres()
        url = pg_database_url("search_demo")
    migrations.upgrade("core", url)
    database = Database(url)
    seed_demo(database, SeedOptions(seed=5, items=40, dealers=2))
    yield database
    database.dispose()
    if request.param == "postgresql":
        drop_pg_database(url)


def test_every_demo_item_is_found_by_its_article_and_by_its_name(demo):
    _assert_fts_in_step(demo)
    with demo.session() as s:
        items = s.execute(select(Item.id, Item.article).where(Item.is_active.is_(True))).all()
        names = dict(
            s.execute(select(ItemTranslation.item_id, ItemTranslation.name).where(ItemTranslation.lang == "ru")).all()
        )
        for item_id, article in items:
            by_article = search_items(s, CatalogQuery(text=article.lower().replace("-", " ")), lang="ru", limit=200)
            assert (by_article.hits[0].match, item_id in [h.item_id for h in by_article.hits if h.match == "exact"]) == (
                "exact",
                True,
            ), article
            by_name = search_items(s, CatalogQuery(text=names[item_id]), lang="ru", limit=200)
            assert item_id in [h.item_id for h in by_name.hits if h.score == 1.0], names[item_id]


def test_the_migration_rebuilds_the_sqlite_index_from_existing_names(tmp_path):
    """Upgrading a database that already has items (the search came later) fills the FTS table."""
    url = f"sqlite:///{tmp_path / 'core.sqlite3'}"
    migrations.upgrade("core", url, "core_0004")
    database = Database(url)
    try:
        with database.transaction() as s:
            _demo_catalog(s, 30)
        migrations.upgrade("core", url)
        _assert_fts_in_step(database)
        with database.session() as s:
            assert s.scalar(text("SELECT count(*) FROM item_names_fts")) == 30
    finally:
        database.dispose()


@pytest.mark.postgresql
def test_postgresql_plans_name_and_article_searches_on_the_indexes(pg_core_db):
    """At 30 000 demo items (90 000 names) the planner picks the full-text and pattern indexes: the plans
    of the real search statements (with bind parameters) use them and scan none of the tables in full.
    The vocabulary lookup (a few hundred words in the demo) is planned separately and may well scan."""
    with pg_core_db.transaction() as s:
        _demo_catalog(s, 30_000)
    with pg_core_db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    cases = {
        "fuel injektor": ("ix_item_translations_name_words", "item_translations"),
        "насос шестеренный": ("ix_item_translations_name_words", "item_translations"),
        "kh-00004": ("ix_items_article_key_pattern", "items"),
        "SL61 0000": ("ix_item_oem_numbers_number_key_pattern", "item_oem_numbers"),
    }
    for typed, (index, table) in cases.items():
        plan = _plan(pg_core_db, CatalogQuery(text=typed))
        assert index in plan, plan
        assert f"Seq Scan on {table}" not in plan, plan
        assert "Seq Scan on items" not in plan, plan


def test_models_and_migrations_agree_on_the_search_indexes(core_db):
    """`db check` on both backends: the PostgreSQL-only indexes are neither missing there nor expected on SQLite."""
    migrations.check("core", core_db.engine.url.render_as_string(hide_password=False))


def _plan(db: Database, query: CatalogQuery) -> str:
    with db.session() as s:
        statement = search_statement(s, query, limit=50)
        # With bind parameters, as the application sends it (a generic plan must use the indexes too).
        compiled = statement.compile(dialect=s.get_bind().dialect)
        rows = s.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars()
        return "\n".join(rows)


def _demo_catalog(s, count: int) -> None:
    """`count` items as the demo makes them (names, OEM numbers, analogues), inserted in bulk
    without the stock history: realistic names at a size where the planner's choice matters."""
    refs = catalog_writer.write_reference_data(s, prices_from=date(2020, 1, 1))
    specs = plan_catalog(random.Random(1), count)
    while batch := list(islice(specs, 2000)):
        catalog_writer.write_items(s, refs, batch)


@pytest.mark.postgresql
def test_after_a_bulk_load_the_name_index_has_no_pending_list(pg_core_db):
    """A fresh catalog's names wait in the GIN index's pending list, which every name search reads
    through row by row, until a VACUUM; the seed ends with one (Database.after_bulk_load)."""
    with pg_core_db.engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pgstattuple"))
    with pg_core_db.transaction() as s:
        _demo_catalog(s, 2_000)
    pending = text("SELECT pending_tuples FROM pgstatginindex('ix_item_translations_name_words')")
    with pg_core_db.session() as s:
        assert s.scalar(pending) > 0
    pg_core_db.after_bulk_load(["item_translations"])
    with pg_core_db.session() as s:
        assert s.scalar(pending) == 0
