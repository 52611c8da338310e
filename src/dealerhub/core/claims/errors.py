"""What the claims refuse; nothing of a refused claim or decision is written."""

from __future__ import annotations

from dealerhub.core.documents import InvalidDocument
from dealerhub.shared.errors import NotFound


class ClaimNotFound(NotFound):
    """No such claim, or not this dealer's (another dealer's claim is 'not found' too)."""


class ShippedLineNotFound(NotFound):
    """No such line of a posted sale to this dealer."""


class InvalidClaim(InvalidDocument):
    """The claim or the decision breaks a rule; `field` names the form field when there is one."""


class ClaimExceedsShipped(InvalidClaim):
    """More is claimed than was shipped on the line minus what other claims already hold."""
