"""Checking uploaded images: JPEG, PNG or WebP only, at most 5 MB and 8000 × 8000 pixels.

A file is accepted only when its first bytes say it is one of the three formats, Pillow can
open and verify it as that same format, and its size in pixels is bounded (a "decompression
bomb" — a small file that expands to a huge bitmap — is refused before it is decoded). The image
is then re-encoded: what is stored holds only pixels (no EXIF, no GPS position, no trailing
bytes of another file type).
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from phoihop.core.formatting import number_vi

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int

    def file_name(self) -> str:
        return f"{uuid.uuid4().hex}.{self.extension}"


def sniff(head: bytes) -> str | None:
    """The format the magic bytes announce (JPEG, PNG, WEBP) or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _megabytes(size: int) -> str:
    return number_vi(size / (1024 * 1024), 1)


def check_image(upload) -> CheckedImage:
    """Validate an uploaded file and return the re-encoded image; ValidationError otherwise."""
    size = getattr(upload, "size", None)
    if size is None or size == 0:
        raise ValidationError(_("Tệp ảnh trống."), code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB); tối đa 5 MB. Hãy thu nhỏ ảnh rồi tải lên lại.") % {"size": _megabytes(size)},
            code="too_big",
        )
    upload.seek(0)
    raw = upload.read(MAX_BYTES + 1)
    expected = sniff(raw[:16])
    if expected is None:
        raise ValidationError(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này không phải một trong ba loại đó)."),
                              code="wrong_type")
    bomb = _("Ảnh có kích thước điểm ảnh quá lớn; tối đa %(side)s × %(side)s điểm ảnh.") % {"side": number_vi(MAX_SIDE)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format != expected:
                    raise ValidationError(_("Nội dung tệp không khớp với định dạng ảnh của nó."), code="mismatch")
                width, height = probe.size
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise ValidationError(bomb, code="too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                data, width, height = _reencode(image, expected)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(bomb, code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(_("Tệp không phải là ảnh hợp lệ (không đọc được nội dung ảnh)."), code="unreadable") from exc
    extension, content_type = FORMATS[expected]
    return CheckedImage(data=data, extension=extension, content_type=content_type, width=width, height=height)


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, int, int]:
    out = io.BytesIO()
    if fmt == "JPEG":
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(out, "WEBP", quality=85)
    return out.getvalue(), image.width, image.height
