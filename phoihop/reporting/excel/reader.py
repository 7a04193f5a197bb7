"""Opening an uploaded workbook safely: size, zip, zip bomb, DTDs, macros, unreadable sheets.
Used by every Excel import of the project (values and targets)."""

from __future__ import annotations

import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from phoihop.core.formatting import number_vi
from phoihop.reporting.excel.layout import (
    FIRST_DATA_ROW,
    MAX_DATA_ROWS,
    MAX_IMPORT_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
)


class Refused(Exception):
    """The file is refused as a whole (before or while opening it)."""



def open_safely(source):
    """Open an uploaded workbook after every safety check (size, zip, zip bomb, macros);
    raises Refused with a Vietnamese message. Used by every Excel import of the project."""
    data = _read_limited(source)
    _inspect_zip(data)
    workbook = _open_workbook(data)
    try:
        _read_every_sheet(workbook)
    except Refused:
        workbook.close()
        raise
    return workbook


# What openpyxl raises while reading a sheet whose XML is broken (cut short, a number cell
# holding text, a shared string that does not exist, a bad cell reference…).
_UNREADABLE = (SyntaxError, ValueError, IndexError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile)


def _read_every_sheet(workbook) -> None:
    """Read-only sheets are parsed lazily: parse each one now (as far as an import ever reads),
    so a broken sheet is refused here instead of failing half-way through an import."""
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            for _row in sheet.iter_rows(max_row=FIRST_DATA_ROW + MAX_DATA_ROWS + 1, values_only=True):
                pass
    except _UNREADABLE as exc:
        raise Refused(_("Tệp .xlsx bị hỏng (một trang tính không đọc được: %(e)s). Hãy lưu lại tệp trong Excel "
                        "hoặc tải mẫu mới.") % {"e": exc.__class__.__name__}) from exc


def _read_limited(source) -> bytes:
    too_big = _("Tệp quá lớn (%(size)s MB); chỉ nhận tệp đến %(max)s MB. Hãy dùng mẫu tải từ Phối Hợp.")

    def refuse_size(size: int):
        raise Refused(too_big % {"size": number_vi(round(Decimal(size) / 1024 / 1024, 1)),
                                 "max": MAX_IMPORT_BYTES // (1024 * 1024)})

    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) > MAX_IMPORT_BYTES:
            refuse_size(len(source))
        return bytes(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise Refused(_("Không tìm thấy tệp “%(f)s”.") % {"f": path})
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            refuse_size(size)
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is None and hasattr(source, "seek") and hasattr(source, "tell"):
        position = source.tell()
        source.seek(0, os.SEEK_END)
        size = source.tell() - position
        source.seek(position)
    if size is not None and size > MAX_IMPORT_BYTES:
        refuse_size(size)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        refuse_size(len(data))
    return data


def _inspect_zip(data: bytes) -> None:
    """Refuse what is not a plain .xlsx before openpyxl sees it."""
    if not data:
        raise Refused(_("Tệp rỗng."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Refused(_(
            "Tệp là bảng tính Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu; Phối Hợp chỉ nhận mẫu .xlsx "
            "không đặt mật khẩu. Hãy tải mẫu mới và nhập lại."))
    if not data.startswith(b"PK"):
        raise Refused(_("Tệp không phải là tệp Excel .xlsx. Hãy tải mẫu từ Phối Hợp và nhập lại."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Refused(_("Tệp .xlsx bị hỏng (không đọc được cấu trúc tệp nén). Hãy lưu lại tệp trong Excel hoặc tải mẫu mới.")) from exc
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(_("Tệp có quá nhiều thành phần (%(n)s); đây không phải mẫu của Phối Hợp.") % {"n": len(members)})
        total = sum(info.file_size for info in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise Refused(_(
                "Tệp giải nén ra quá lớn (%(size)s MB, tối đa %(max)s MB); có thể là “bom nén”. Không nhập tệp này.")
                % {"size": total // (1024 * 1024), "max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
        names = {info.filename for info in members}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise Refused(_("Tệp có macro (.xlsm); Phối Hợp không nhận tệp có macro. Hãy dùng mẫu .xlsx tải từ Phối Hợp."))
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Refused(_("Tệp không phải là bảng tính Excel .xlsx (có thể là tệp Word, tệp nén khác…)."))
        try:
            for info in members:
                _check_member(archive, info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
            raise Refused(_("Tệp .xlsx bị hỏng (một phần của tệp không giải nén được). Hãy lưu lại tệp trong Excel hoặc tải mẫu mới.")) from exc


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a member whole (checks its CRC); refuse DTDs, which .xlsx never has (XXE, entity bombs)."""
    xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    tail = b""
    first = True
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 16):
            if xml:
                if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise Refused(_("Tệp có thành phần XML không ở dạng UTF-8; đây không phải mẫu của Phối Hợp."))
                window = (tail + chunk).lower()
                if b"<!doctype" in window or b"<!entity" in window:
                    raise Refused(_("Tệp có khai báo XML không được phép (DOCTYPE/ENTITY); không nhập tệp này."))
                tail = chunk[-16:]
            first = False


def _open_workbook(data: bytes):
    if b"macroEnabled" in _content_types(data):
        raise Refused(_("Tệp có macro (.xlsm); Phối Hợp không nhận tệp có macro. Hãy dùng mẫu .xlsx tải từ Phối Hợp."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise Refused(_("Không đọc được tệp Excel (tệp bị hỏng hoặc không đúng định dạng .xlsx): %(e)s") % {
            "e": exc.__class__.__name__}) from exc


def _content_types(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("[Content_Types].xml")
