"""Printed documents as HTML (Jinja2 templates beside this file) and PDF (WeasyPrint). WeasyPrint
needs pango at run time (scripts/ensure_os_packages.sh): without it the PDF answers 503 with what
is missing, and nothing else of the system is affected."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dealerhub.core.printouts import words
from dealerhub.shared.errors import DomainError

TEMPLATES = Path(__file__).parent / "templates"


class PdfUnavailable(DomainError):
    """WeasyPrint cannot run here (pango or its fonts are missing)."""

    http_status = 503


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=words.money,
        qty=words.quantity,
        percent=words.percent,
        long_date=words.long_date,
        short_date=words.short_date,
    )
    return env


def render_html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_pdf(template: str, **context: Any) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango, harfbuzz or fontconfig not installed
        raise PdfUnavailable(
            f"PDF documents cannot be made on this server: {exc}. "
            "Install pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)"
        ) from None
    html = render_html(template, **context)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
