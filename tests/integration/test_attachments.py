"""Attachments kept in the core's database: scoped to their dealer, the bytes loaded only on demand."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from dealerhub.core.attachments import (
    Attachment,
    AttachmentNotFound,
    AttachmentRefused,
    load_attachment,
    store_attachment,
)
from tests import factories


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_is_kept_with_its_checksum_and_served_only_to_its_dealer(core_db) -> None:
    photo = _photo()
    with core_db.transaction() as s:
        (dealer, _), (other, _) = factories.dealer(s, "D-1"), factories.dealer(s, "D-2")
        kept = store_attachment(
            s,
            filename="Трещина рамы.JPG",
            data=photo,
            partner_id=dealer.id,
            uploaded_by=None,
            images_only=True,
        )
        kept_id, dealer_id, other_id = kept.id, dealer.id, other.id
    with core_db.session() as s:
        loaded = load_attachment(s, kept_id, partner_id=dealer_id)
        assert (loaded.filename, loaded.content_type, loaded.size_bytes) == (
            "Трещина рамы.JPG",
            "image/jpeg",
            len(photo),
        )
        assert loaded.sha256 == hashlib.sha256(photo).hexdigest()
        assert loaded.data == photo
        with pytest.raises(AttachmentNotFound):
            load_attachment(s, kept_id, partner_id=other_id)
        assert load_attachment(s, kept_id).id == kept_id  # staff: any dealer's file


def test_a_refused_file_leaves_nothing(core_db) -> None:
    with core_db.transaction() as s:
        dealer_id = factories.dealer(s, "D-1")[0].id
    with pytest.raises(AttachmentRefused), core_db.transaction() as s:
        store_attachment(
            s,
            filename="virus.jpg",
            data=b"MZ\x90\x00",
            partner_id=dealer_id,
            uploaded_by=None,
            images_only=True,
        )
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
