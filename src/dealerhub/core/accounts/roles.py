"""Who may do what in the back office: pure data and one check, no I/O.

Every staff role may look at master data and stock; changing things is granted per area.
The document permissions are used by the document pages.
"""

from __future__ import annotations

from dealerhub.core.accounts.models import STAFF_ROLES

ADMINISTRATOR = "administrator"
SALES_MANAGER = "sales_manager"
PURCHASER = "purchaser"
STOREKEEPER_SUPERVISOR = "storekeeper_supervisor"

ALL_STAFF = frozenset(STAFF_ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    "backoffice.view": ALL_STAFF,
    "catalog.edit": frozenset({ADMINISTRATOR, PURCHASER}),
    "partners.edit": frozenset({ADMINISTRATOR, SALES_MANAGER, PURCHASER}),
    "warehouses.edit": frozenset({ADMINISTRATOR}),
    "pricing.edit": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    "users.manage": frozenset({ADMINISTRATOR}),
    "sales.documents": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    "purchasing.documents": frozenset({ADMINISTRATOR, PURCHASER}),
    "inventory.documents": frozenset({ADMINISTRATOR, PURCHASER, STOREKEEPER_SUPERVISOR}),
    # The exchange monitor: everyone on the staff may look; retrying a message is the administrator's.
    "exchange.manage": frozenset({ADMINISTRATOR}),
}


def can(role: str, permission: str) -> bool:
    """True when the role holds the permission; an unknown permission is granted to nobody."""
    return role in PERMISSIONS.get(permission, frozenset())
