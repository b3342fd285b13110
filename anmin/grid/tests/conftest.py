from __future__ import annotations

import io

import pytest
from PIL import Image

from anmin.grid.categories import load_categories


@pytest.fixture
def photo_storage(upload_dir):
    """Where this test's photos are kept (the root conftest's ``upload_dir``, never var/uploads)."""
    return upload_dir


@pytest.fixture(autouse=True)
def grid_categories(db):
    load_categories()


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    """A JPEG as a phone camera writes it: EXIF with the camera, the time and a GPS position."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0132] = "2020:12:09 10:11:12"  # DateTime
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (34.0, 8.0, 25.8)
    gps[3] = "E"
    gps[4] = (113.0, 29.0, 24.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(width: int = 32, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 128)).save(out, format="PNG")
    return out.getvalue()
