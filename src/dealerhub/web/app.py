"""The web application: the back office, the dealer cabinet, and the API later.

create_app() wires the database, languages, templates, static files, security headers and the
error answers; the pages themselves live with the core's faces (core/backoffice/, core/cabinet/).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from dealerhub.shared.config import Settings, get_settings
from dealerhub.shared.db import Database
from dealerhub.web import api
from dealerhub.web.errors import install_error_handlers
from dealerhub.web.i18n import Translations
from dealerhub.web.rendering import build_templates
from dealerhub.web.security import SecurityHeadersMiddleware
from dealerhub.wms.web import PREFIX as WMS_PREFIX
from dealerhub.wms.web import create_wms_app

log = logging.getLogger("dealerhub.web")

STATIC_DIR = Path(__file__).parent / "static"
FRONTEND_DIR = Path(__file__).resolve().parents[3] / "frontend"
# Served at /static/vendor/<name>/ from the npm packages in frontend/node_modules.
VENDOR_ASSETS = {
    "bootstrap": Path("bootstrap/dist"),
    "htmx": Path("htmx.org/dist"),
}


def create_app(settings: Settings | None = None) -> FastAPI:
    from dealerhub.core import backoffice, cabinet

    settings = settings or get_settings()
    database = Database(settings.core_database_url)
    wms_app = None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # A mounted app's own lifespan never runs (Starlette sends lifespan events to the
        # outermost app only): its pools are closed here.
        database.dispose()
        if wms_app is not None:
            wms_app.state.db.dispose()
        store = getattr(app.state, "exchange_store", None)  # the monitor's, made on first use
        if store is not None:
            store.db.dispose()

    app = FastAPI(title="dealerhub", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = database
    app.state.csrf_secret = _csrf_secret(settings)
    app.state.i18n = Translations(settings.ui_languages, settings.default_language)
    app.state.templates = build_templates(
        app.state.i18n,
        [backoffice.TEMPLATES_DIR, cabinet.TEMPLATES_DIR],
        {**backoffice.TEMPLATE_GLOBALS, **cabinet.TEMPLATE_GLOBALS},
    )
    app.state.vendor_assets = _mount_static(app)

    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)
    app.state.backoffice_pages = backoffice.PAGE_PATHS
    app.include_router(backoffice.router, prefix=backoffice.PREFIX)
    app.state.cabinet_pages = cabinet.page_paths()
    app.include_router(cabinet.router, prefix=cabinet.PREFIX)
    app.include_router(api.router, prefix="/api")
    # The WMS's face: its own database, storekeepers and sessions (it never imports the core).
    wms_app = create_wms_app(settings, app.state.csrf_secret, vendor_assets=app.state.vendor_assets)
    app.mount(WMS_PREFIX, wms_app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/backoffice/", status_code=303)

    return app


def _mount_static(app: FastAPI) -> bool:
    """Mount our CSS and the npm packages; False (pages unstyled) when node_modules is missing."""
    app.mount("/static/app", StaticFiles(directory=STATIC_DIR), name="static-app")
    node_modules = FRONTEND_DIR / "node_modules"
    missing = [name for name, path in VENDOR_ASSETS.items() if not (node_modules / path).is_dir()]
    if missing:
        log.warning(
            "frontend packages %s are missing from %s: pages work but are unstyled. "
            "Install them with: npm ci --prefix %s",
            ", ".join(missing),
            node_modules,
            FRONTEND_DIR,
        )
        return False
    for name, path in VENDOR_ASSETS.items():
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=node_modules / path), name=f"vendor-{name}")
    return True


def _csrf_secret(settings: Settings) -> bytes:
    """The key that signs the login form's CSRF token.

    The setting `secret_key` (DEALERHUB_SECRET_KEY) when set: every worker on every machine must
    share it. Otherwise a key kept in `secret_key_file` (made once, readable only by its owner), so
    the workers of one machine and restarts agree.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = settings.secret_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            log.info("made a new secret key in %s (set DEALERHUB_SECRET_KEY to share one across machines)", path)
    return path.read_text().strip().encode()
