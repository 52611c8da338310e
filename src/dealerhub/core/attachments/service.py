"""Keeping and reading attachments. The caller's transaction holds the file with whatever it is
attached to (a message, a claim): a refused file leaves nothing behind."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from dealerhub.core.attachments.errors import AttachmentNotFound
from dealerhub.core.attachments.models import Attachment
from dealerhub.core.attachments.rules import clean_filename, content_type_of
from dealerhub.shared.config import get_settings
from dealerhub.shared.texts import T


def store_attachment(
    s: Session,
    *,
    filename: str,
    data: bytes,
    partner_id: int | None,
    uploaded_by: int | None,
    images_only: bool = False,
) -> Attachment:
    """Check the file and add it to the session (flushed: it has an id)."""
    name = clean_filename(filename)
    content_type = content_type_of(
        name, data, max_bytes=get_settings().attachment_max_bytes, images_only=images_only
    )
    attachment = Attachment(
        partner_id=partner_id,
        filename=name,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=uploaded_by,
    )
    s.add(attachment)
    s.flush()
    return attachment


def load_attachment(
    s: Session, attachment_id: int, *, partner_id: int | None = None, with_data: bool = True
) -> Attachment:
    """The attachment; with partner_id (a dealer asking) only one of that dealer's."""
    query = select(Attachment).where(Attachment.id == attachment_id)
    if partner_id is not None:
        query = query.where(Attachment.partner_id == partner_id)
    if with_data:
        query = query.options(undefer(Attachment.data))
    attachment = s.scalar(query)
    if attachment is None:
        raise AttachmentNotFound(T("the file was not found"), attachment_id=attachment_id)
    return attachment


def attachments_by_id(s: Session, ids: Sequence[int]) -> dict[int, Attachment]:
    """Several attachments without their bytes (for lists)."""
    if not ids:
        return {}
    return {a.id: a for a in s.scalars(select(Attachment).where(Attachment.id.in_(ids)))}
