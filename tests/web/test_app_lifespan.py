"""The web app closes every pool it opened when it stops, the mounted WMS's too (Starlette runs
only the outermost app's lifespan, so the main app closes the others)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.routing import Mount

from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.web.app import create_app


def _pooled(db: Database) -> int:
    return db.engine.pool.checkedin()


def test_stopping_the_app_closes_the_core_wms_and_exchange_pools(core_db: Database, tmp_path) -> None:
    app = create_app(
        Settings(
            core_database_url=core_db.url,
            wms_database_url=f"sqlite:///{tmp_path / 'wms.sqlite3'}",
            exchange_database_url=f"sqlite:///{tmp_path / 'exchange.sqlite3'}",
            secret_key="test-secret-key",
        )
    )
    wms_db = next(r.app for r in app.routes if isinstance(r, Mount) and r.path == "/wms").state.db
    from dealerhub.exchange.store import ExchangeStore

    with TestClient(app):
        app.state.exchange_store = ExchangeStore.from_settings(app.state.settings)
        for db in (app.state.db, wms_db, app.state.exchange_store.db):
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        assert [_pooled(db) for db in (app.state.db, wms_db, app.state.exchange_store.db)] == [1, 1, 1]
    assert [_pooled(db) for db in (app.state.db, wms_db, app.state.exchange_store.db)] == [0, 0, 0]
