"""A uniqueness lost to a concurrent request between the use case's check and the commit: the
database refuses it, the whole request is rolled back, the user gets 409 and a clear message."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.warehouses.models import Warehouse
from dealerhub.web.deps import WriteSession
from tests.web.conftest import add_user, log_in, page_token


def _racing_app(app):
    """A route that writes one warehouse, then a second with the same code, as a lost race would."""
    router = APIRouter()

    @router.post("/backoffice/test-race")
    def race(s: WriteSession) -> dict:
        s.add(Warehouse(code="RACE", name="first", kind="main"))
        s.flush()
        s.add(Warehouse(code="RACE", name="second", kind="main"))
        s.flush()
        return {}

    app.include_router(router)
    return app


def test_a_lost_race_is_409_and_nothing_stays(app, core_db):
    add_user(core_db, "admin")
    with TestClient(_racing_app(app), follow_redirects=False) as client:
        log_in(client, "admin")
        answer = client.post("/backoffice/test-race", headers={"X-CSRF-Token": page_token(client)})
    assert answer.status_code == 409
    assert "nothing was changed, try again" in answer.text
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Warehouse)) == 0

