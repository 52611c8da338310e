"""The web app on the test database: a TestClient per test, staff users, logging in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import profiles
from fastapi.testclient import TestClient

from dealerhub.core.accounts import create_user, set_hash_parameters
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.web.app import create_app

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2id at its cheapest: the real parameters cost half a second a hash on a test machine."""
    set_hash_parameters(profiles.CHEAPEST)
    yield
    set_hash_parameters(None)


@pytest.fixture
def app(core_db: Database):
    return create_app(Settings(core_database_url=core_db.url, secret_key="test-secret-key"))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def add_user(db: Database, login: str, role: str = "administrator", language: str = "en") -> int:
    with db.transaction() as s:
        return create_user(
            s,
            user_id=None,
            login=login,
            password=PASSWORD,
            full_name=f"{login.title()} Staff",
            role=role,
            language=language,
        ).id


def csrf_from(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def log_in(client: TestClient, login: str, password: str = PASSWORD) -> None:
    token = csrf_from(client.get("/backoffice/login").text)
    answer = client.post(
        "/backoffice/login", data={"login": login, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/backoffice/"


def page_token(client: TestClient, path: str = "/backoffice/") -> str:
    """The session's CSRF token, as a page carries it."""
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return csrf_from(answer.text)


@pytest.fixture
def admin(core_db: Database) -> int:
    return add_user(core_db, "admin", "administrator")


@pytest.fixture
def admin_client(client: TestClient, admin: int) -> TestClient:
    log_in(client, "admin")
    return client
