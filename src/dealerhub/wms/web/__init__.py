"""The WMS's face: mobile-first pages for storekeepers (tasks, scanning, receiving, packing) and the
supervisor's page. A FastAPI app of its own, mounted by dealerhub.web.app at /wms, with its own
database (the WMS's), its own users (storekeepers) and sessions; it never imports the core.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.web.i18n import Translations
from dealerhub.wms.db import load_all_models
from dealerhub.wms.web import auth, packing, receiving, receiving_undo, supervisor, supervisor_work, tasks
from dealerhub.wms.web.errors import install_error_handlers
from dealerhub.wms.web.rendering import build_templates

PREFIX = "/wms"
STATIC_DIR = Path(__file__).parent / "static"


def create_wms_app(settings: Settings, secret: bytes, *, vendor_assets: bool = True,
                   database: Database | None = None) -> FastAPI:
    """`secret`: the web app's key; the WMS derives its own from it (sessions and CSRF tokens of
    the back office and of the WMS are never interchangeable)."""
    load_all_models()
    db = database or Database(settings.wms_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if database is None:
            db.dispose()

    app = FastAPI(title="dealerhub WMS", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    app.state.secret = hashlib.sha256(b"dealerhub-wms\0" + secret).digest()
    app.state.i18n = Translations(settings.ui_languages, settings.default_language)
    app.state.templates = build_templates()
    app.state.vendor_assets = vendor_assets
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="wms-static")
    install_error_handlers(app)

    @app.middleware("http")
    async def no_store(request, call_next):  # pages show live stock and tasks: never from a cache
        response = await call_next(request)
        if not request.url.path.startswith(f"{request.scope.get('root_path', '')}/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
            if request.method == "GET" and request.headers.get("HX-Request"):
                # A page reached by htmx (also after a POST's redirect): the address bar shows it.
                query = f"?{request.url.query}" if request.url.query else ""
                response.headers.setdefault("HX-Push-Url", request.url.path + query)
        return response

    for module in (auth, tasks, receiving, receiving_undo, packing, supervisor, supervisor_work):
        app.include_router(module.router)
    return app
