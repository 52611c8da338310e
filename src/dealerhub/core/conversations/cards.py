"""The personal manager's card and the unread count that every cabinet page shows, read together
with the dealer's company in the one statement a cabinet page already runs for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, Select, and_, bindparam, select
from sqlalchemy.orm import aliased

from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.staff_profiles import StaffProfile
from dealerhub.core.conversations.queries import Viewer, manager_id_of, unread_count_query
from dealerhub.core.partners.models import Partner


@dataclass(frozen=True)
class ManagerCard:
    user_id: int
    full_name: str
    phone: str | None
    email: str | None
    working_hours: str | None
    photo_attachment_id: int | None


def dealer_header_query(partner_id: int, user_id: int, role: str, on: date) -> Select[Any]:
    """One row when the company is an active dealer: its name, its personal manager (None columns
    when the agreement in force names none, or an inactive user) and the user's unread count."""
    manager = aliased(User, name="manager")
    unread = unread_count_query(Viewer(user_id, partner_id, role), on).scalar_subquery()
    return (
        select(
            Partner.name.label("company_name"),
            manager.id.label("manager_id"),
            manager.full_name.label("manager_name"),
            manager.phone.label("manager_phone"),
            manager.email.label("manager_email"),
            StaffProfile.working_hours.label("manager_hours"),
            StaffProfile.photo_attachment_id.label("manager_photo_id"),
            unread.label("unread"),
        )
        .select_from(Partner)
        .outerjoin(manager, and_(manager.id == manager_id_of(Partner.id, on), manager.is_active))
        .outerjoin(StaffProfile, StaffProfile.user_id == manager.id)
        .where(Partner.id == partner_id, Partner.is_active, Partner.is_dealer)
    )


@cache
def dealer_header_statement() -> Select[Any]:
    """dealer_header_query() for any dealer's user, with the bind parameters `partner_id`,
    `user_id` and `on`: built once per process (building it costs more than running it: aliases,
    subqueries), executed on every cabinet page. A dealer's role doesn't change the statement
    (roles decide only a staff member's scope)."""
    return dealer_header_query(
        bindparam("partner_id", type_=Integer), bindparam("user_id", type_=Integer), "dealer", bindparam("on", type_=Date)
    )


def manager_card_of(row: Any) -> ManagerCard | None:
    """The card from a dealer_header_query() row (None: the dealer has no personal manager)."""
    if row.manager_id is None:
        return None
    return ManagerCard(
        row.manager_id,
        row.manager_name,
        row.manager_phone,
        row.manager_email,
        row.manager_hours,
        row.manager_photo_id,
    )
