"""Staff profiles: what dealers see of their personal manager (photo, phone, e-mail, working
hours). The administrator edits anyone's; every staff member edits their own (My profile)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from dealerhub.core.accounts import STAFF_ROLES, InvalidUserData, SessionUser, can
from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.staff_profiles import StaffProfile, set_staff_profile, staff_profile
from dealerhub.core.attachments import AttachmentRefused, load_attachment, store_attachment
from dealerhub.shared.config import get_settings
from dealerhub.shared.errors import NotFound, PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, StaffUser, WriteSession
from dealerhub.web.downloads import attachment_response
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()
LIST_TEMPLATE = "backoffice/staff/list.html"
PROFILE_TEMPLATE = "backoffice/staff/profile.html"


def _may_edit(user: SessionUser, staff_user_id: int) -> None:
    if user.user_id != staff_user_id and not can(user.role, "users.manage"):
        raise PermissionDenied(
            T("only the administrator edits another member's profile"), permission="users.manage"
        )


def _staff(s: Session, staff_user_id: int) -> User:
    found = s.get(User, staff_user_id)
    if found is None or found.partner_id is not None or found.role not in STAFF_ROLES:
        raise NotFound(T("there is no such member of the staff"), staff_user_id=staff_user_id)
    return found


@router.get("/profile")
def my_profile(user: StaffUser) -> Response:
    return RedirectResponse(f"/backoffice/staff/{user.user_id}/profile", status_code=303)


@router.get("/staff")
def staff_list(request: Request, user: StaffUser, s: ReadSession) -> Response:
    if not can(user.role, "users.manage"):
        raise PermissionDenied(T("the staff list is the administrator's"), permission="users.manage")
    rows = s.execute(
        select(User, StaffProfile.working_hours)
        .outerjoin(StaffProfile, StaffProfile.user_id == User.id)
        .where(User.partner_id.is_(None))
        .order_by(User.full_name)
    ).all()
    return render(request, LIST_TEMPLATE, {"rows": rows})


def _context(s: Session, member: User) -> dict[str, Any]:
    profile = staff_profile(s, member.id)
    return {
        # plain values: a rejected form is rendered after the transaction rolled back
        "member": {"id": member.id, "full_name": member.full_name, "role": member.role},
        "photo_id": profile.photo_attachment_id if profile else None,
        "values": {
            "phone": member.phone or "",
            "email": member.email or "",
            "working_hours": (profile.working_hours if profile else None) or "",
        },
    }


@router.get("/staff/{user_id}/profile")
def profile_page(request: Request, user_id: int, user: StaffUser, s: ReadSession) -> Response:
    _may_edit(user, user_id)
    return render(request, PROFILE_TEMPLATE, _context(s, _staff(s, user_id)))


@router.post("/staff/{user_id}/profile")
def save_profile(request: Request, user_id: int, user: StaffUser, form: Form, s: WriteSession) -> Response:
    _may_edit(user, user_id)
    member = _staff(s, user_id)
    context = _context(s, member)
    reader = FormReader(form)
    phone = reader.text("phone", max_length=50)
    email = reader.text("email", max_length=200)
    hours = reader.text("working_hours", max_length=200)
    if not reader.ok:
        raise reader.rejected(PROFILE_TEMPLATE, context)
    try:
        photo_id = None
        upload = form.get("photo")
        if isinstance(upload, UploadFile) and upload.filename:
            data = upload.file.read(get_settings().attachment_max_bytes + 1)
            photo_id = store_attachment(
                s,
                filename=upload.filename,
                data=data,
                partner_id=None,
                uploaded_by=user.user_id,
                images_only=True,
            ).id
        set_staff_profile(
            s,
            user_id,
            by_user_id=user.user_id,
            phone=phone,
            email=email,
            working_hours=hours,
            photo_attachment_id=photo_id,
            remove_photo=reader.boolean("remove_photo"),
        )
    except AttachmentRefused as error:
        raise reader.refused(PROFILE_TEMPLATE, context, error, default_field="photo") from None
    except InvalidUserData as error:
        raise reader.refused(PROFILE_TEMPLATE, context, error) from None
    return RedirectResponse(f"/backoffice/staff/{user_id}/profile?notice=saved", status_code=303)


@router.get("/staff/{user_id}/photo/{attachment_id}")
def staff_photo(user_id: int, attachment_id: int, user: StaffUser, s: ReadSession) -> Response:
    profile = staff_profile(s, user_id)
    if profile is None or profile.photo_attachment_id != attachment_id:
        raise NotFound(T("there is no such photo"))
    return attachment_response(load_attachment(s, attachment_id))
