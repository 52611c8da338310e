"""The distributor's own legal entity and bank details (one row, edited in the back office)."""

from dealerhub.core.company.models import OwnCompany
from dealerhub.core.company.service import (
    CompanyDetails,
    InvalidCompanyData,
    OwnCompanyNotSet,
    get_own_company,
    require_own_company,
    save_own_company,
)

__all__ = [
    "CompanyDetails",
    "InvalidCompanyData",
    "OwnCompany",
    "OwnCompanyNotSet",
    "get_own_company",
    "require_own_company",
    "save_own_company",
]
