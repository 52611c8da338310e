"""What a file must be to be kept: pure checks, no I/O.

The declared content type is not trusted: the bytes decide. Images are opened with Pillow (a
file named .jpg that is not a decodable JPEG is refused), PDFs must start with their signature,
office files are zip containers. Anything else (executables, HTML, SVG with scripts) is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from PIL import Image, UnidentifiedImageError

from dealerhub.core.attachments.errors import AttachmentRefused
from dealerhub.shared.texts import T

# Pillow's format name -> the content type a browser gets.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def clean_filename(name: str) -> str:
    """The last path part of what the browser sent, without control or path characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1].strip()
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base:
        raise AttachmentRefused(T("the file has no name"))
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base


def content_type_of(filename: str, data: bytes, *, max_bytes: int, images_only: bool = False) -> str:
    """The content type the bytes really are, or AttachmentRefused with the reason."""
    if not data:
        raise AttachmentRefused(T("%(file)s: the file is empty", file=filename))
    if len(data) > max_bytes:
        raise AttachmentRefused(
            T(
                "%(file)s: %(size)s bytes, more than the %(limit)s allowed", file=filename, size=len(data), limit=max_bytes
            ), limit=max_bytes
        )
    image = _image_type(data)
    if image is not None:
        return image
    if images_only:
        raise AttachmentRefused(T("%(file)s: not a photo (JPEG, PNG, WebP or GIF expected)", file=filename))
    extension = "." + filename.rpartition(".")[2].lower() if "." in filename else ""
    expected = DOCUMENT_TYPES.get(extension)
    if expected is None:
        raise AttachmentRefused(
            T("%(file)s: files of this type are not accepted (photos, PDF, XLSX, DOCX, TXT are)", file=filename)
        )
    if extension == ".pdf" and not data.startswith(b"%PDF-"):
        raise AttachmentRefused(T("%(file)s: not a PDF file", file=filename))
    if extension in (".xlsx", ".docx") and not _is_zip(data):
        raise AttachmentRefused(T("%(file)s: not an office document", file=filename))
    if extension == ".txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise AttachmentRefused(T("%(file)s: a text file must be UTF-8", file=filename)) from None
    return expected


def _image_type(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()  # reads the whole file: a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return IMAGE_TYPES.get(kind or "")


def _is_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False
