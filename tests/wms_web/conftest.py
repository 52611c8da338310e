"""The WMS face under test: the whole web app (create_app, the WMS mounted at /wms) on a WMS database
that is SQLite and PostgreSQL in turn (`wms_db`), a small warehouse with stock, a storekeeper, a
second storekeeper and a supervisor, and an order whose pick task is ready."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.web.app import create_app
from tests.wms.conftest import _cheap_hashes, _pg_wms_url, _sqlite_wms_template, wms_db  # noqa: F401
from tests.wms.helpers import items, keeper, stock_in, warehouse

PASSWORD = "secret-pass"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Wms:
    db: Database
    client: TestClient
    warehouse_id: int

    def csrf(self, page: str) -> str:
        match = CSRF.search(page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, login: str = "anna", password: str = PASSWORD, **extra) -> TestClient:
        form = self.client.get("/wms/login")
        answer = self.client.post("/wms/login", data={"login": login, "password": password,
                                                       "csrf_token": self.csrf(form.text), **extra},
                                  follow_redirects=False)
        assert answer.status_code == 303, answer.text
        return self.client

    def post(self, path: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        token = self.csrf(page or self.client.get("/wms/tasks").text)
        return self.client.post(path, data={"csrf_token": token, **(data or {})}, follow_redirects=False, **kwargs)


@pytest.fixture
def wms(wms_db: Database, tmp_path: Path) -> Iterator[Wms]:  # noqa: F811
    with wms_db.transaction() as s:
        wh = warehouse(s, "WH1", bins=20)
        items(s, "A1", "B2")
        stock_in(s, wh, "PCK-01-01-1", "A1", "5")
        stock_in(s, wh, "STO-01-01-1", "B2", "10")
        keeper(s, "anna")
        keeper(s, "boris")
        keeper(s, "sveta", role="supervisor")
        warehouse_id = wh.id
    settings = Settings(core_database_url=f"sqlite:///{tmp_path}/core.sqlite3", wms_database_url=wms_db.url,
                        secret_key="wms-web-test-secret")
    with TestClient(create_app(settings)) as client:
        yield Wms(wms_db, client, warehouse_id)
