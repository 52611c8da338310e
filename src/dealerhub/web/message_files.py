"""A message form of either face: its files (every non-empty file part of the field is kept
through core/attachments, in the request's transaction, for the dealer of the conversation) and
posting the reply."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from dealerhub.core.attachments import AttachmentRefused, store_attachment
from dealerhub.core.conversations import InvalidMessage, post_message
from dealerhub.shared.config import get_settings
from dealerhub.web.conversation_mail import after_commit, notification_mails
from dealerhub.web.forms import FormReader


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


def post_reply(
    request: Request, s: Session, form: FormData, reader: FormReader, *, template: str, context: dict[str, Any],
    conversation_id: int, partner_id: int, user_id: int, page: str,
) -> RedirectResponse:
    """A reply with its files posted from either face's conversation page: refusals show the page
    again with the reason by its field; the notification mails go out once the reply is committed."""
    body = reader.text("body", required=True, max_length=10_000)
    if not reader.ok:
        raise reader.rejected(template, context)
    try:
        files = store_message_files(s, form, partner_id=partner_id, user_id=user_id)
        message = post_message(s, conversation_id, author_user_id=user_id, body=body or "", attachment_ids=files)
    except AttachmentRefused as error:
        raise reader.refused(template, context, error, default_field="files") from None
    except InvalidMessage as error:
        raise reader.refused(template, context, error, default_field="body") from None
    return RedirectResponse(
        f"{page}?notice=sent#message-{message.id}",
        status_code=303,
        background=after_commit(request, notification_mails(request, s, message.id)),
    )
