"""The real application in a real browser: uvicorn serves create_app() on a free localhost port
against a migrated temporary SQLite database, Debian's chromium is driven by Playwright.

Without chromium (or Playwright) the browser tests are skipped with a loud reason; with
DEALERHUB_REQUIRE_BROWSER=1 (CI) that is a failure instead.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dealerhub import migrations
from dealerhub.core.accounts import create_user
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from tests.web.seed import Seeded, seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ADMIN_LOGIN, ADMIN_PASSWORD = "browser-admin", "a long browser password"


def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` (make test does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright for Python is not installed ({exc}): pip install -e '.[test]'"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("DEALERHUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests are required here (DEALERHUB_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(f"SKIPPED BROWSER TEST: {reason}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class LiveServer:
    url: str
    db: Database
    data: Seeded


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole app served by uvicorn in a thread, on a migrated SQLite database with a few items,
    a warehouse with stock, a dealer with an agreement and an administrator."""
    reason = _missing_browser()
    if reason:
        _skip_or_fail(reason)
    import uvicorn

    from dealerhub.web.app import create_app

    path = tmp_path_factory.mktemp("browser") / "core.sqlite3"
    url = f"sqlite:///{path}"
    migrations.upgrade("core", url)
    db = Database(url)
    with db.transaction() as s:
        admin = create_user(
            s,
            user_id=None,
            login=ADMIN_LOGIN,
            password=ADMIN_PASSWORD,
            full_name="Anna Admin",
            role="administrator",
            language="en",
        ).id
    data = seed(db, admin)
    settings = Settings(core_database_url=url, secret_key="browser-test-secret")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 20 seconds")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", db, data)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _missing_browser()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server: LiveServer) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 1000}, locale="en-US"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot under test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        target = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(target), full_page=True)
        return target

    return take
