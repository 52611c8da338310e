"""Rendering pages: one Jinja2 environment, the common context, number and date formats."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, get_decimal_symbol, get_group_symbol, parse_pattern
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from dealerhub.shared.texts import Text
from dealerhub.web.deps import request_language
from dealerhub.web.i18n import N_, Translations, gettext_current, install_i18n, language_name

WEB_TEMPLATES = Path(__file__).parent / "templates"

# Short notices shown after a redirect (?notice=key): stateless, and only these known texts.
NOTICES = {
    "saved": N_("Saved."),
    "created": N_("Created."),
    "logged_out": N_("You have logged out."),
    # Dealer accounts (core/cabinet/auth.py, recovery.py).
    "login_again": N_("The login took too long: enter your password again."),
    "password_set": N_("Your password is set: log in with it."),
    "invited": N_("The invitation was sent by e-mail."),
    # Conversations with the personal manager (both faces).
    "sent": N_("Your message was sent."),
}


def build_templates(
    i18n: Translations, template_dirs: list[Path], template_globals: Mapping[str, Any] | None = None
) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*template_dirs, WEB_TEMPLATES]),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_i18n(env)
    env.filters.update(
        t=translate, qty=format_quantity, money=format_money, date=format_day, datetime=format_moment
    )
    env.globals["page_url"] = page_url
    env.globals.update(template_globals or {})
    return Jinja2Templates(env=env)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in the request's language with the context every page needs."""
    app = request.app
    lang = request_language(request)
    app.state.i18n.activate(lang)
    user = getattr(request.state, "user", None)
    notice_key = request.query_params.get("notice")
    full_context = {
        "user": user,
        # The dealer cabinet's logged-in company and role (core/cabinet/deps.py), None elsewhere.
        "dealer": getattr(request.state, "dealer", None),
        "home_path": "/cabinet/" if request.url.path.startswith("/cabinet") else "/backoffice/",
        "lang": lang,
        "languages": [(code, language_name(code)) for code in app.state.i18n.languages],
        "csrf_token": user.csrf_token if user else "",
        "vendor_assets": app.state.vendor_assets,
        "notice": NOTICES.get(notice_key) if notice_key else None,
        "errors": {},
        "values": {},
        **(context or {}),
    }
    return app.state.templates.TemplateResponse(request, template, full_context, status_code=status_code)


def translate(text: str | None) -> str:
    """Translate a text held in a variable (a marked constant, or a use case's message that has no
    translation and is shown as it is). Unlike _(), the result is escaped like any other value."""
    if isinstance(text, Text):
        return text.localized()
    return gettext_current(text) if text else ""


def page_url(request: Request, **params: Any) -> str:
    """This page's path with some query parameters replaced (for paging and filters)."""
    url = request.url.include_query_params(**params).remove_query_params("notice")
    return f"{url.path}?{url.query}" if url.query else url.path


@jinja2.pass_context
def format_quantity(context: Any, value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return _quantity(str(value), context["lang"])
    return _number_pattern("#,##0.###").apply(Decimal(value).normalize(), _locale(context["lang"]))


@lru_cache(maxsize=4096)
def _quantity(value: str, lang: str) -> str:
    # Quantities repeat (a catalog page shows 75 stock figures, most of them 0 or small): each is
    # formatted once per process. Keyed by the text, so 0 and -0 stay apart as babel shows them.
    return _number_pattern("#,##0.###").apply(Decimal(value).normalize(), _locale(lang))


@jinja2.pass_context
def format_money(context: Any, value: Decimal | None) -> str:
    if value is None:
        return ""
    lang = context["lang"]
    if isinstance(value, Decimal) and value.is_finite() and not value.is_signed():
        # What babel's "#,##0.00" gives for a price (two places, rounded half to even by the decimal
        # context as babel does, groups of three), written with the locale's symbols: a catalog page
        # shows two prices a row, and babel's general formatter is most of a row's cost.
        group, decimal_point = _money_symbols(lang)
        return format(value, ",.2f").translate({ord(","): group, ord("."): decimal_point})
    return _number_pattern("#,##0.00").apply(value, _locale(lang))


@lru_cache(maxsize=32)
def _money_symbols(lang: str) -> tuple[str, str]:
    return get_group_symbol(lang), get_decimal_symbol(lang)


# babel.numbers.format_decimal() parses the locale and the pattern on every call; a catalog page
# formats a few hundred figures, so both are parsed once (same results, a third of the time).
@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=32)
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@jinja2.pass_context
def format_day(context: Any, value: date | None) -> str:
    return format_date(value, format="short", locale=context["lang"]) if value else ""


@jinja2.pass_context
def format_moment(context: Any, value: datetime | None) -> str:
    return _moment(value, context["lang"]) if value else ""


@lru_cache(maxsize=256)
def _moment(value: datetime, lang: str) -> str:
    # Every row of a page is stamped with the same moment: formatted once.
    return format_datetime(value, format="short", locale=lang)
