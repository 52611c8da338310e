"""The back office's menu as data. An entry whose page is not served yet is shown greyed out, so the
document pages light up by themselves when their routers are included (see __init__.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute

from dealerhub.core.accounts import SessionUser, can
from dealerhub.web.i18n import N_


@dataclass(frozen=True)
class MenuEntry:
    label: str
    path: str
    permission: str = "backoffice.view"


@dataclass(frozen=True)
class MenuSection:
    label: str
    entries: tuple[MenuEntry | MenuSection, ...]
    key: str = ""


@dataclass(frozen=True)
class ShownEntry:
    label: str
    path: str
    live: bool
    active: bool


@dataclass(frozen=True)
class ShownSection:
    label: str
    key: str
    groups: list[tuple[str | None, list[ShownEntry]]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(entry.active for _, entries in self.groups for entry in entries)


MENU: tuple[MenuEntry | MenuSection, ...] = (
    MenuEntry(N_("Catalog"), "/backoffice/catalog"),
    MenuEntry(N_("Partners"), "/backoffice/partners"),
    MenuEntry(N_("Dealer users"), "/backoffice/dealer-users"),
    MenuEntry(N_("Moderation"), "/backoffice/moderation", "sales.documents"),
    MenuEntry(N_("Claims"), "/backoffice/claims", "sales.documents"),
    MenuEntry(N_("Messages"), "/backoffice/conversations", "conversations.answer"),
    MenuEntry(N_("Warehouses"), "/backoffice/warehouses"),
    MenuEntry(N_("Staff"), "/backoffice/staff", "users.manage"),
    MenuSection(
        N_("Prices"),
        (
            MenuEntry(N_("Price types"), "/backoffice/pricing/price-types"),
            MenuEntry(N_("Dealer agreements"), "/backoffice/pricing/agreements"),
            MenuEntry(N_("Bonus programs"), "/backoffice/bonus/programs"),
        ),
        key="pricing",
    ),
    MenuEntry(N_("Stock"), "/backoffice/stock"),
    MenuSection(
        N_("Documents"),
        (
            MenuSection(
                N_("Sales"),
                (
                    MenuEntry(N_("Customer orders"), "/backoffice/sales/orders"),
                    MenuEntry(N_("Picking tasks"), "/backoffice/sales/picking-tasks"),
                    MenuEntry(N_("Sales"), "/backoffice/sales/sales"),
                    MenuEntry(N_("Customer returns"), "/backoffice/sales/returns"),
                ),
            ),
            MenuSection(
                N_("Purchasing and inventory"),
                (
                    MenuEntry(N_("Supplier orders"), "/backoffice/purchasing/orders"),
                    MenuEntry(N_("Goods receipts"), "/backoffice/purchasing/receipts"),
                    MenuEntry(N_("Stock corrections"), "/backoffice/inventory/corrections"),
                    MenuEntry(N_("Transfers"), "/backoffice/inventory/transfers"),
                ),
            ),
        ),
        key="documents",
    ),
    MenuSection(
        N_("Finance"),
        (
            MenuEntry(N_("Incoming payments"), "/backoffice/finance/payments"),
            MenuEntry(N_("Settlements with dealers"), "/backoffice/finance/settlements"),
            MenuEntry(N_("Company details"), "/backoffice/company"),
        ),
        key="finance",
    ),
    MenuSection(
        N_("Exchange"),
        (
            MenuEntry(N_("Exchange journal"), "/backoffice/exchange"),
            MenuEntry(N_("Core outbox"), "/backoffice/exchange/outbox"),
            MenuEntry(N_("Stock reconciliation"), "/backoffice/exchange/reconciliation"),
        ),
        key="exchange",
    ),
)


def page_paths(routers: list[APIRouter], prefix: str) -> frozenset[str]:
    """The paths of the GET pages these routers serve under the prefix."""
    return frozenset(
        prefix + route.path
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and "GET" in (route.methods or ())
    )


def backoffice_menu(request: Request, user: SessionUser | None) -> list[ShownEntry | ShownSection]:
    """The menu as the user sees it: entries the role may open, live or not yet served."""
    if user is None:
        return []
    paths = request.app.state.backoffice_pages
    current = request.url.path

    def show(entry: MenuEntry) -> ShownEntry:
        active = current == entry.path or current.startswith(entry.path + "/")
        return ShownEntry(entry.label, entry.path, entry.path in paths, active)

    def allowed(entries: tuple[MenuEntry | MenuSection, ...]) -> list[ShownEntry]:
        return [show(e) for e in entries if isinstance(e, MenuEntry) and can(user.role, e.permission)]

    shown: list[ShownEntry | ShownSection] = []
    for item in MENU:
        if isinstance(item, MenuEntry):
            if can(user.role, item.permission):
                shown.append(show(item))
            continue
        subsections = [e for e in item.entries if isinstance(e, MenuSection)]
        groups = (
            [(None, allowed(item.entries))]
            if not subsections
            else [(sub.label, allowed(sub.entries)) for sub in subsections]
        )
        groups = [(label, entries) for label, entries in groups if entries]
        if groups:
            shown.append(ShownSection(item.label, item.key, groups))
    return shown
