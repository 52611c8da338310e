"""The back office: the distributor's staff pages, server-rendered, ru and en.

Every page but the login form sits behind two router dependencies: a logged-in staff user, and
the CSRF token on every unsafe method. Each page group is its own module with its own router.
The document pages (sales; purchasing and inventory) slot in the same way: write the module with
its `router`, include it in `protected` below under the paths that menu.py already names
(/sales/orders, /purchasing/receipts ...), and the Documents menu shows them as live.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends

from dealerhub.core.backoffice import (
    agreements,
    auth,
    bonus_programs,
    catalog,
    catalog_edit,
    claims,
    company,
    conversations,
    dashboard,
    dealer_users,
    documents_inventory,
    documents_orders,
    documents_picking,
    documents_purchasing,
    documents_receipts,
    documents_sales,
    exchange_monitor,
    finance_payments,
    finance_settlements,
    moderation,
    moderation_supply,
    partners,
    pricing,
    staff_profiles,
    stock,
    warehouses,
)
from dealerhub.core.backoffice.labels import label
from dealerhub.core.backoffice.menu import backoffice_menu, page_paths
from dealerhub.web.csrf import verify_csrf
from dealerhub.web.deps import staff_user

PREFIX = "/backoffice"
TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_GLOBALS = {
    "backoffice_menu": backoffice_menu,
    "label": label,
    "staff_unread": conversations.staff_unread,
}
PAGE_MODULES = (auth, dashboard, catalog, catalog_edit, partners, warehouses, pricing, agreements, stock)
PAGE_MODULES += (documents_orders, documents_picking, documents_sales)
PAGE_MODULES += (documents_purchasing, documents_receipts, documents_inventory)
PAGE_MODULES += (exchange_monitor,)
PAGE_MODULES += (dealer_users,)
PAGE_MODULES += (moderation, moderation_supply)
PAGE_MODULES += (finance_payments, finance_settlements, company)
PAGE_MODULES += (claims,)
PAGE_MODULES += (bonus_programs,)
PAGE_MODULES += (conversations, staff_profiles)

protected = APIRouter(dependencies=[Depends(staff_user), Depends(verify_csrf)])
for module in PAGE_MODULES:
    protected.include_router(module.router)

router = APIRouter()
router.include_router(auth.public_router)
router.include_router(protected)

# What the menu shows as live (set on app.state by create_app).
PAGE_PATHS = page_paths([module.router for module in PAGE_MODULES], PREFIX)

__all__ = ["PAGE_PATHS", "PREFIX", "TEMPLATES_DIR", "TEMPLATE_GLOBALS", "protected", "router"]
