"""Files attached by dealers and staff, kept in the core's database (models.py says why)."""

from dealerhub.core.attachments.errors import AttachmentNotFound, AttachmentRefused
from dealerhub.core.attachments.models import Attachment
from dealerhub.core.attachments.service import attachments_by_id, load_attachment, store_attachment

__all__ = [
    "Attachment",
    "AttachmentNotFound",
    "AttachmentRefused",
    "attachments_by_id",
    "load_attachment",
    "store_attachment",
]
