"""Partners (dealers, suppliers), their contractors (legal entities with INN/KPP/OGRN checked by
their checksums, addresses) and bank accounts (checked against the bank's BIK)."""

from dealerhub.core.partners.errors import (
    ContractorNotFound,
    DuplicateBankAccount,
    DuplicateContractor,
    InvalidIdentifier,
    InvalidPartnerData,
    PartnerNotFound,
)
from dealerhub.core.partners.rules import (
    validate_bank_account,
    validate_contractor_ids,
    validate_ogrn_kind,
)
from dealerhub.core.partners.service import (
    PARTNER_KINDS,
    add_bank_account,
    add_contractor,
    create_partner,
    get_contractor,
    get_partner,
    list_partners,
    update_contractor,
    update_partner,
)

__all__ = [
    "PARTNER_KINDS",
    "ContractorNotFound",
    "DuplicateBankAccount",
    "DuplicateContractor",
    "InvalidIdentifier",
    "InvalidPartnerData",
    "PartnerNotFound",
    "add_bank_account",
    "add_contractor",
    "create_partner",
    "get_contractor",
    "get_partner",
    "list_partners",
    "update_contractor",
    "update_partner",
    "validate_bank_account",
    "validate_contractor_ids",
    "validate_ogrn_kind",
]
