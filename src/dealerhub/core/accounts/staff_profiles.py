"""What a staff member shows dealers as their personal manager: a photo and working hours, beside
the phone and e-mail kept on the user. Edited in the back office by the administrator and by the
staff member themself; the cabinet shows it on every page of the dealers the user manages."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from dealerhub.core.accounts.models import STAFF_ROLES, User
from dealerhub.core.accounts.service import InvalidUserData, UserNotFound
from dealerhub.core.attachments.models import Attachment
from dealerhub.core.audit import record_change
from dealerhub.core.db import CoreBase
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.shared.types import UTCDateTime

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class StaffProfile(CoreBase):
    __tablename__ = "staff_profiles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # A staff file (partner_id None) that Pillow decoded as a photo.
    photo_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    working_hours: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


def set_staff_profile(
    s: Session,
    staff_user_id: int,
    *,
    by_user_id: int,
    phone: str | None,
    email: str | None,
    working_hours: str | None,
    photo_attachment_id: int | None = None,
    remove_photo: bool = False,
) -> StaffProfile:
    """Change a staff member's contacts and hours (and photo, when a new one is given)."""
    user = s.get(User, staff_user_id)
    if user is None or user.partner_id is not None or user.role not in STAFF_ROLES:
        raise UserNotFound(T("the staff member was not found"), user_id=staff_user_id)
    email = (email or "").strip() or None
    if email is not None and (len(email) > 200 or not _EMAIL.match(email)):
        raise InvalidUserData(T("'%(email)s' is not an e-mail address", email=email), field="email")
    phone = (phone or "").strip() or None
    if phone is not None and len(phone) > 50:
        raise InvalidUserData(T("a phone is at most %(count)s characters", count=50), field="phone")
    hours = " ".join((working_hours or "").split()) or None
    if hours is not None and len(hours) > 200:
        raise InvalidUserData(T("working hours are at most %(count)s characters", count=200), field="working_hours")
    profile = s.get(StaffProfile, staff_user_id) or StaffProfile(user_id=staff_user_id)
    if photo_attachment_id is not None:
        photo = s.get(Attachment, photo_attachment_id)
        if photo is None or photo.partner_id is not None or not photo.content_type.startswith("image/"):
            raise InvalidUserData(T("the photo must be an image file of the staff"), field="photo")
        profile.photo_attachment_id = photo_attachment_id
    elif remove_photo:
        profile.photo_attachment_id = None
    user.phone, user.email = phone, email
    profile.working_hours = hours
    profile.updated_at = clock.now()
    s.add(profile)
    s.flush()
    record_change(
        s, user_id=by_user_id, entity_type="user", entity_id=staff_user_id, action="change_staff_profile"
    )
    return profile


def staff_profile(s: Session, staff_user_id: int) -> StaffProfile | None:
    return s.get(StaffProfile, staff_user_id)
