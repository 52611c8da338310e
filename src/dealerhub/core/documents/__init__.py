"""What all documents share: numbering, status transitions with audit, the draft rule."""

from dealerhub.core.documents.errors import DocumentNotDraft, DocumentNotInStatus, InvalidDocument
from dealerhub.core.documents.lifecycle import assert_draft, change_status, new_document
from dealerhub.core.documents.lines import UnknownItem, check_lines
from dealerhub.core.documents.numbering import next_number

__all__ = [
    "DocumentNotDraft",
    "DocumentNotInStatus",
    "InvalidDocument",
    "UnknownItem",
    "assert_draft",
    "change_status",
    "check_lines",
    "new_document",
    "next_number",
]
