"""Checking an uploaded attachment (of an activity or of an event) by what it really is, not by its
name or first bytes (issue 12).

Allowed: photos (JPG, PNG), scanned minutes (PDF) and documents (DOCX), at most
`PHOIHOP_MAX_ATTACHMENT_BYTES` (10 MB). A file is accepted only when

- its extension is one of those, and its content is that type, read as a whole:
  - JPG/PNG: Pillow identifies the same format, verifies the file and decodes every pixel
    (bounded in size first, so a decompression bomb is refused before it is decoded);
  - PDF: the structure a reader relies on — `%PDF-1.x` at the very start, a `startxref` pointing
    inside the file at a cross-reference table or stream, a final `%%EOF` — and no active content
    named in clear (`/JavaScript`, `/JS`, `/Launch`);
  - DOCX: a zip (bounded in members and uncompressed size) holding `[Content_Types].xml` that
    declares a Word document (not a macro-enabled one), its main part `word/document.xml`, and no
    `vbaProject.bin`;
- and it is not also another type (a polyglot): no zip archive inside an image or a PDF, no
  `%PDF-` header in the first kilobyte of an image or a document (PDF readers look that far), no
  HTML or script at the start of any of them (what a browser sniffing the content would run).

`check_attachment(upload)` raises a ValidationError with a Vietnamese message, or returns the
verified type; `reporting.activities` (activity attachments) and `programs.events` (minutes and
photos of events) call it, and the stored content type is the verified one, never the one the
browser declared.
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF, ".docx": DOCX}
MAGIC = {JPEG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n", PDF: b"%PDF-", DOCX: b"PK\x03\x04"}
PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}

MAX_SIDE = 20_000  # pixels per side of a photo or a scanned page
MAX_PIXELS = 80_000_000  # an A3 page scanned at 600 dpi is about 70 million
MAX_DOCX_MEMBERS = 2000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
PDF_TAIL = 2048  # `startxref` and `%%EOF` are looked for in the last bytes
SNIFF_WINDOW = 1024  # PDF readers find the header within the first kilobyte; browsers sniff less

_PDF_VERSION = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF[\s\x00]*$")
_XREF_AT = re.compile(rb"\s*(xref\b|\d{1,10}\s+\d{1,5}\s+obj\b)")
_ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9#])")
_MARKUP = re.compile(rb"<\s*(script|html|!doctype\s+html|svg|iframe|body|head|\?php)\b", re.IGNORECASE)
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def max_bytes() -> int:
    return getattr(settings, "PHOIHOP_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


@dataclass(frozen=True)
class CheckedAttachment:
    extension: str
    content_type: str


def _wrong(ext: str) -> ValidationError:
    return ValidationError(_("Nội dung tệp không đúng với đuôi %(ext)s.") % {"ext": ext}, code="mismatch")


def check_attachment(upload) -> CheckedAttachment:
    """The verified type of an uploaded attachment; ValidationError (Vietnamese) otherwise."""
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(_("Chỉ nhận tệp JPG, PNG, PDF hoặc DOCX."), code="extension")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(_("Tệp quá lớn (tối đa 10 MB)."), code="too_big")
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    if len(data) > max_bytes():
        raise ValidationError(_("Tệp quá lớn (tối đa 10 MB)."), code="too_big")
    if not data:
        raise ValidationError(_("Tệp trống."), code="empty")
    content_type = ALLOWED[ext]
    if not data.startswith(MAGIC[content_type]):
        raise _wrong(ext)
    if content_type in PILLOW_FORMAT:
        _check_image(data, content_type, ext)
    elif content_type == PDF:
        _check_pdf(data, ext)
    else:
        _check_docx(data, ext)
    _check_not_polyglot(data, content_type, ext)
    return CheckedAttachment(ext, content_type)


def _check_image(data: bytes, content_type: str, ext: str) -> None:
    unreadable = ValidationError(_("Tệp %(ext)s không phải là ảnh hợp lệ (không đọc được nội dung ảnh).") % {"ext": ext},
                                 code="unreadable")
    too_big = ValidationError(_("Ảnh có kích thước điểm ảnh quá lớn (tối đa %(n)s triệu điểm ảnh).") % {
        "n": MAX_PIXELS // 1_000_000}, code="too_many_pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != PILLOW_FORMAT[content_type]:
                    raise _wrong(ext)
                width, height = probe.size
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # every pixel decoded: a cut or corrupt image fails here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        raise unreadable from exc


def _check_pdf(data: bytes, ext: str) -> None:
    broken = ValidationError(_("Tệp PDF bị hỏng hoặc không phải PDF thật (thiếu phần cấu trúc của PDF); hãy xuất lại tệp PDF."),
                             code="unreadable")
    if not _PDF_VERSION.match(data):
        raise broken
    match = _STARTXREF.search(data[-PDF_TAIL:])
    if match is None:
        raise broken
    offset = int(match.group(1))
    if not 0 < offset < len(data) or not _XREF_AT.match(data, offset):
        raise broken
    if _ACTIVE_PDF.search(data):
        raise ValidationError(_("Tệp PDF có nội dung tự chạy (JavaScript hoặc lệnh mở chương trình); chỉ nhận PDF thông thường, "
                                "ví dụ biên bản quét."), code="active_content")


def _check_docx(data: bytes, ext: str) -> None:
    broken = ValidationError(_("Tệp DOCX bị hỏng hoặc không phải văn bản Word (.docx); hãy lưu lại bằng Word rồi tải lên."),
                             code="unreadable")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_DOCX_MEMBERS or sum(i.file_size for i in infos) > MAX_DOCX_UNCOMPRESSED:
                raise ValidationError(_("Tệp DOCX giải nén ra quá lớn (nghi là bom nén); không nhận."), code="zip_bomb")
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise broken
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ValidationError(_("Tệp có macro (VBA); chỉ nhận văn bản Word thông thường (.docx)."), code="macro")
            types = archive.read("[Content_Types].xml")
            if _DOCUMENT_MAIN not in types:
                raise broken
            if archive.testzip() is not None:
                raise broken
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError, KeyError) as exc:
        raise broken from exc


def _check_not_polyglot(data: bytes, content_type: str, ext: str) -> None:
    head = data[:SNIFF_WINDOW]
    polyglot = ValidationError(_("Tệp %(ext)s đồng thời là một loại tệp khác (tệp ghép); không nhận.") % {"ext": ext},
                               code="polyglot")
    if _MARKUP.search(head):
        raise polyglot
    if content_type != PDF and b"%PDF-" in head:
        raise polyglot
    if content_type != DOCX and _holds_zip(data):
        raise polyglot


def _holds_zip(data: bytes) -> bool:
    """A zip archive anywhere in the file: a local header at the start, or an end-of-central-
    directory record whose central directory really is where it says (random bytes of a photo or
    a compressed PDF stream almost never pass that test; a zip appended or embedded does)."""
    if data.startswith(b"PK\x03\x04"):
        return True
    at = data.find(b"PK\x05\x06")
    while at != -1:
        if at + 22 <= len(data):
            _sig, disk, cd_disk, here, total, cd_size, cd_offset, _comment = struct.unpack_from("<4s4H2LH", data, at)
            cd_start = at - cd_size
            if disk == 0 and cd_disk == 0 and here == total and 0 <= cd_start and cd_offset <= cd_start \
                    and (total == 0 or data.startswith(b"PK\x01\x02", cd_start)):
                return True
        at = data.find(b"PK\x05\x06", at + 1)
    return False
