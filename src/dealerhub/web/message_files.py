"""Reading the files of a message form (both faces): every non-empty file part of the field is
kept through core/attachments, in the request's transaction, for the dealer of the conversation."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from dealerhub.core.attachments import store_attachment
from dealerhub.shared.config import get_settings


def store_message_files(
    s: Session, form: FormData, *, partner_id: int, user_id: int, field: str = "files"
) -> list[int]:
    """The ids of the stored files (none chosen: an empty list). A refused file raises
    AttachmentRefused and the caller's transaction takes the others back with it."""
    limit = get_settings().attachment_max_bytes
    ids = []
    for part in form.getlist(field):
        if not isinstance(part, UploadFile) or not part.filename:
            continue  # a file input left empty still sends an unnamed part
        data = part.file.read(limit + 1)  # one byte over the limit is enough to refuse it
        ids.append(
            store_attachment(
                s, filename=part.filename, data=data, partner_id=partner_id, uploaded_by=user_id
            ).id
        )
    return ids
