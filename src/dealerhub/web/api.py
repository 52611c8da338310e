"""The JSON face of the core: for now only who is logged in (the API proper comes later).

Errors under /api are JSON (see errors.py); without a session the answer is 401, not a redirect.
"""

from __future__ import annotations

from fastapi import APIRouter

from dealerhub.web.deps import CurrentUser

router = APIRouter()


@router.get("/session")
def session_info(user: CurrentUser) -> dict[str, object]:
    return {
        "login": user.login,
        "full_name": user.full_name,
        "role": user.role,
        "language": user.language,
        "expires_at": user.expires_at.isoformat(),
    }
