"""The payment QR code of an invoice, as GOST R 56042-2014 ("Standards of two-dimensional barcode
symbols for payments by individuals") defines it: a "ST00012" header (format ST, version 0001,
encoding 2 = UTF-8), then `Key=Value` pairs separated by "|". A bank's app reads it and fills in
the payment order. Rendered by segno as an SVG (no image library) embedded in the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import segno

HEADER = "ST00012"
SEPARATOR = "|"
# The standard's limits (characters) of the fields we fill.
LIMITS = {"Name": 160, "BankName": 45, "Purpose": 210}


@dataclass(frozen=True)
class Payee:
    name: str
    account: str
    bank_name: str
    bik: str
    correspondent_account: str
    inn: str
    kpp: str | None


def kopecks(amount: Decimal) -> int:
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a sum in kopecks")
    return int(value)


def _clean(key: str, value: str) -> str:
    """The separator may not appear in a value; long values are cut to the standard's limit."""
    value = " ".join(value.replace(SEPARATOR, " ").split())
    limit = LIMITS.get(key)
    return value[:limit] if limit else value


def payment_payload(payee: Payee, amount: Decimal, purpose: str) -> str:
    pairs = [
        ("Name", payee.name),
        ("PersonalAcc", payee.account),
        ("BankName", payee.bank_name),
        ("BIC", payee.bik),
        ("CorrespAcc", payee.correspondent_account),
        ("PayeeINN", payee.inn),
    ]
    if payee.kpp:
        pairs.append(("KPP", payee.kpp))
    pairs += [("Sum", str(kopecks(amount))), ("Purpose", purpose)]
    return SEPARATOR.join([HEADER, *(f"{key}={_clean(key, value)}" for key, value in pairs)])


def qr_svg_data_uri(payload: str) -> str:
    """The QR code (error correction M, UTF-8 bytes) as a data: URI of an SVG image."""
    code = segno.make(payload, error="m", encoding="utf-8", micro=False)
    return code.svg_data_uri(scale=3, border=2)
