"""Pricing: price types, item prices with validity dates, dealer agreements and personal prices."""

from dealerhub.core.pricing.agreements import (
    DiscountInput,
    create_agreement,
    get_agreement,
    get_agreement_for,
    personal_price,
    personal_prices,
    update_agreement,
)
from dealerhub.core.pricing.errors import (
    AgreementNotFound,
    AgreementNumberTaken,
    InvalidAgreement,
    InvalidPrice,
    OverlappingPrice,
    PriceTypeCodeTaken,
    PriceTypeNotFound,
)
from dealerhub.core.pricing.prices import (
    create_price_type,
    end_item_price,
    get_price,
    get_price_type,
    list_item_prices,
    set_item_price,
)
from dealerhub.core.pricing.rules import PersonalPrice, line_amount, round_money, vat_included

__all__ = [
    "AgreementNotFound",
    "AgreementNumberTaken",
    "DiscountInput",
    "InvalidAgreement",
    "InvalidPrice",
    "OverlappingPrice",
    "PersonalPrice",
    "PriceTypeCodeTaken",
    "PriceTypeNotFound",
    "create_agreement",
    "create_price_type",
    "end_item_price",
    "get_agreement",
    "get_agreement_for",
    "get_price",
    "get_price_type",
    "line_amount",
    "list_item_prices",
    "personal_price",
    "personal_prices",
    "round_money",
    "set_item_price",
    "update_agreement",
    "vat_included",
]
