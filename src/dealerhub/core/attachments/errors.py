"""What the attachments refuse; nothing of a refused file is written."""

from __future__ import annotations

from dealerhub.shared.errors import DomainError, NotFound


class AttachmentRefused(DomainError):
    """Empty, too large, of a type not accepted, or not what its name and type claim."""


class AttachmentNotFound(NotFound):
    """No such file, or not one of this dealer's (another dealer's file is 'not found' too)."""
