"""Serving a stored file to a browser safely (both faces use it)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from dealerhub.core.attachments import Attachment

# Shown in the page (photos, PDFs); everything else is downloaded, never rendered by the browser.
_INLINE = ("image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf")


def attachment_response(attachment: Attachment) -> Response:
    disposition = "inline" if attachment.content_type in _INLINE else "attachment"
    ascii_name = attachment.filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(
        content=attachment.data,
        media_type=attachment.content_type,
        headers={
            # RFC 6266 / 5987: an ASCII fallback and the real (Cyrillic) name.
            "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
            "Cache-Control": "private, max-age=3600",
        },
    )
