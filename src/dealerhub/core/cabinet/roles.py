"""Translatable names of the dealer roles and of a user's status."""

from __future__ import annotations

from dealerhub.shared.texts import T
from dealerhub.web.i18n import N_

ROLE_LABELS = {  # Texts: pages show them with the `t` filter, refusals name the role with them
    "owner": T("Owner"),
    "buyer": T("Buyer"),
    "accountant": T("Accountant"),
}
ROLE_HINTS = {
    "owner": N_("Everything, and manages the company's users"),
    "buyer": N_("Catalog, carts, reservations, orders, their invoices and sale documents"),
    "accountant": N_("Documents and finance only"),
}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


STATUS_LABELS = {
    "active": N_("Active"),
    "invited": N_("Invited, not yet accepted"),
    "blocked": N_("Blocked"),
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
