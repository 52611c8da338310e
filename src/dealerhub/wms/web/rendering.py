"""Rendering the WMS pages: its own Jinja2 environment with the shared gettext catalogs
(dealerhub.web.i18n, which knows nothing of the core) and the common page context."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from dealerhub.shared.texts import Text
from dealerhub.web.i18n import Translations, gettext_current, install_i18n, language_name
from dealerhub.wms.web.session import LANGUAGE_COOKIE, optional_keeper

TEMPLATES_DIR = Path(__file__).parent / "templates"


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES_DIR]),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    env.filters.update(t=translate, qty=format_quantity, plain=plain_quantity, datetime=format_moment)
    return Jinja2Templates(env=env)


def request_language(request: Request) -> str:
    i18n: Translations = request.app.state.i18n
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if cookie in i18n.languages else i18n.negotiate(request.headers.get("accept-language"))


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    app = request.app
    lang = request_language(request)
    app.state.i18n.activate(lang)
    keeper = optional_keeper(request)
    full = {
        "keeper": keeper,
        "lang": lang,
        "languages": [(code, language_name(code)) for code in app.state.i18n.languages],
        "csrf_token": keeper.csrf_token if keeper else "",
        "vendor_assets": app.state.vendor_assets,
        "base": request.scope.get("root_path", ""),
        "error": None,
        "notice": None,
        **(context or {}),
    }
    return app.state.templates.TemplateResponse(request, template, full, status_code=status_code)


def translate(text: str | None) -> str:
    if isinstance(text, Text):
        return text.localized()
    return gettext_current(text) if text else ""


@jinja2.pass_context
def format_quantity(context: Any, value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return format_decimal(Decimal(value).normalize(), format="#,##0.###", locale=context["lang"])


def plain_quantity(value: Decimal | None) -> str:
    """A quantity as typed into a field: no grouping, no trailing zeros ("2", "1.5")."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


@jinja2.pass_context
def format_moment(context: Any, value: Any) -> str:
    return format_datetime(value, format="short", locale=context["lang"]) if value else ""
