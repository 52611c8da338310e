"""What a file must be to be kept: the bytes decide, not the name or the declared type."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from dealerhub.core.attachments.errors import AttachmentRefused
from dealerhub.core.attachments.rules import clean_filename, content_type_of

LIMIT = 1_000_000


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3)).save(out, "JPEG")
    return out.getvalue()


def _xlsx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def test_photos_are_known_by_their_bytes_whatever_their_name() -> None:
    assert content_type_of("photo.jpg", _png(), max_bytes=LIMIT) == "image/png"
    assert content_type_of("IMG_0001.JPG", _jpeg(), max_bytes=LIMIT, images_only=True) == "image/jpeg"


def test_documents_of_the_accepted_kinds() -> None:
    assert content_type_of("act.pdf", b"%PDF-1.7\n...", max_bytes=LIMIT) == "application/pdf"
    assert content_type_of("list.XLSX", _xlsx_like(), max_bytes=LIMIT).startswith("application/vnd.openxml")
    assert (
        content_type_of("note.txt", "гидромотор течёт".encode(), max_bytes=LIMIT)
        == "text/plain; charset=utf-8"
    )


@pytest.mark.parametrize(
    ("name", "data", "images_only", "reason"),
    [
        ("empty.jpg", b"", False, "empty.jpg: the file is empty"),
        (
            "fake.jpg",
            b"\xff\xd8\xff\xe0 not really a jpeg",
            True,
            "fake.jpg: not a photo (JPEG, PNG, WebP or GIF expected)",
        ),
        ("fake.pdf", b"<html><script>alert(1)</script>", False, "fake.pdf: not a PDF file"),
        (
            "page.html",
            b"<html></html>",
            False,
            "page.html: files of this type are not accepted (photos, PDF, XLSX, DOCX, TXT are)",
        ),
        (
            "run.exe",
            b"MZ\x90\x00",
            False,
            "run.exe: files of this type are not accepted (photos, PDF, XLSX, DOCX, TXT are)",
        ),
        ("list.xlsx", b"PK\x03\x04 broken", False, "list.xlsx: not an office document"),
        ("note.txt", b"\xff\xfe\x00", False, "note.txt: a text file must be UTF-8"),
        (
            "doc.pdf",
            b"%PDF-1.7" + b"0" * LIMIT,
            False,
            f"doc.pdf: {LIMIT + 8} bytes, more than the {LIMIT} allowed",
        ),
    ],
)
def test_refused_files_say_why(name: str, data: bytes, images_only: bool, reason: str) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        content_type_of(name, data, max_bytes=LIMIT, images_only=images_only)
    assert refused.value.message == reason


def test_a_truncated_photo_is_refused() -> None:
    with pytest.raises(AttachmentRefused):
        content_type_of("cut.png", _png()[:-20], max_bytes=LIMIT, images_only=True)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\dealer\\Фото поломки.jpg", "Фото поломки.jpg"),
        ("../../etc/passwd", "passwd"),
        ("a<b>|c.pdf", "a_b_c.pdf"),
        ("  report (1).pdf  ", "report (1).pdf"),
    ],
)
def test_file_names_lose_paths_and_odd_characters(sent: str, kept: str) -> None:
    assert clean_filename(sent) == kept


def test_a_nameless_file_is_refused() -> None:
    with pytest.raises(AttachmentRefused):
        clean_filename("../")


def test_a_file_is_served_with_its_real_name_and_never_sniffed() -> None:
    from dealerhub.core.attachments import Attachment
    from dealerhub.web.downloads import attachment_response

    photo = Attachment(filename="Трещина.png", content_type="image/png", data=_png())
    sheet = Attachment(filename='list "1".xlsx', content_type="application/vnd.ms-excel", data=b"PK")
    shown, downloaded = attachment_response(photo), attachment_response(sheet)
    assert shown.headers["content-disposition"] == (
        "inline; filename=\"_______.png\"; filename*=UTF-8''%D0%A2%D1%80%D0%B5%D1%89%D0%B8%D0%BD%D0%B0.png"
    )
    assert downloaded.headers["content-disposition"].startswith('attachment; filename="list _1_.xlsx"')
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.body == photo.data
