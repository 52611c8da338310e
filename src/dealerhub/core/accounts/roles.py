"""Who may do what: pure data and one check per face, no I/O.

Back office: every staff role may look at master data and stock; changing things is granted per
area. Dealer cabinet: a dealer's user has one of DEALER_ROLES in their company; the pages ask for a
cabinet permission (the owner holds all of them).
"""

from __future__ import annotations

from dealerhub.core.accounts.models import DEALER_ROLES, STAFF_ROLES

ADMINISTRATOR = "administrator"
SALES_MANAGER = "sales_manager"
PURCHASER = "purchaser"
STOREKEEPER_SUPERVISOR = "storekeeper_supervisor"

OWNER = "owner"
BUYER = "buyer"
ACCOUNTANT = "accountant"

ALL_STAFF = frozenset(STAFF_ROLES)
ALL_DEALER_ROLES = frozenset(DEALER_ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    "backoffice.view": ALL_STAFF,
    "catalog.edit": frozenset({ADMINISTRATOR, PURCHASER}),
    "partners.edit": frozenset({ADMINISTRATOR, SALES_MANAGER, PURCHASER}),
    "warehouses.edit": frozenset({ADMINISTRATOR}),
    "pricing.edit": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    "users.manage": frozenset({ADMINISTRATOR}),
    "dealer_users.manage": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    "sales.documents": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    "purchasing.documents": frozenset({ADMINISTRATOR, PURCHASER}),
    "inventory.documents": frozenset({ADMINISTRATOR, PURCHASER, STOREKEEPER_SUPERVISOR}),
    # Incoming payments from dealers (settlements); everyone on the staff may look.
    "finance.documents": frozenset({ADMINISTRATOR, SALES_MANAGER}),
    # The distributor's own legal entity and bank details, printed on invoices.
    "company.edit": frozenset({ADMINISTRATOR}),
    # The exchange monitor: everyone on the staff may look; retrying a message is the administrator's.
    "exchange.manage": frozenset({ADMINISTRATOR}),
    # Conversations with dealers: a sales manager answers their own dealers, the administrator all.
    "conversations.answer": frozenset({ADMINISTRATOR, SALES_MANAGER}),
}

# The dealer cabinet's permissions (the owner holds every one).
DEALER_PERMISSIONS: dict[str, frozenset[str]] = {
    "cabinet.view": ALL_DEALER_ROLES,  # the start page, my profile
    "cabinet.catalog": frozenset({OWNER, BUYER}),  # catalog, prices, stock, price list
    "cabinet.orders": frozenset({OWNER, BUYER}),  # carts, reservations, orders
    # Invoices and sale documents: the buyer needs them for the orders they place.
    "cabinet.documents": frozenset({OWNER, BUYER, ACCOUNTANT}),
    "cabinet.finance": frozenset({OWNER, ACCOUNTANT}),  # balance, payments, reconciliation statement
    "cabinet.users": frozenset({OWNER}),  # the company's users
}


def can(role: str, permission: str) -> bool:
    """True when the role holds the permission; an unknown permission is granted to nobody."""
    return role in PERMISSIONS.get(permission, frozenset()) or role in DEALER_PERMISSIONS.get(
        permission, frozenset()
    )
