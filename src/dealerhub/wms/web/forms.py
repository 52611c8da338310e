"""Reading the few form fields the WMS pages send (text, quantities with a decimal comma)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import FormData

from dealerhub.shared.texts import T
from dealerhub.wms.errors import QuantityRefused


async def form_of(request: Request) -> FormData:
    return await request.form()


def text(form: FormData, name: str, max_length: int = 500) -> str:
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def quantity(form: FormData, name: str, default: Decimal | None = None, *, allow_zero: bool = False) -> Decimal:
    raw = text(form, name, 40).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not raw:
        if default is None:
            raise QuantityRefused(T("enter the quantity"))
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise QuantityRefused(T("%(value)s is not a number", value=raw)) from None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise QuantityRefused(T("the quantity must be more than zero"))
    return value


def safe_next(target: str | None, base: str) -> str:
    """Only a path of this face (never another site) is followed after login."""
    if not target:
        return f"{base}/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(f"{base}/") or target.startswith("//"):
        return f"{base}/"
    return target
