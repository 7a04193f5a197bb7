"""The bad-file corpus: hostile or broken files, generated at test time from a real template.

Nothing large is committed: each case is a small function that builds its bytes (or a file in
tmp_path, for the huge ones) from the template Phối Hợp produced for the test organisation. Two
hand-made files hold legacy Vietnamese text: `legacy-tcvn3.txt` (TCVN3/ABC, as a Latin-1 reader
shows it) and `legacy-vni.txt` (VNI Windows).

EXCEL_CASES: name → (builder(ctx) → bytes | Path, a fragment of the Vietnamese message expected).
ATTACHMENT_CASES: name → (file name, builder() → bytes, fragment).
IMAGE_CASES: name → (file name, builder() → bytes) for the news image upload.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
TCVN3_TEXT = (HERE / "legacy-tcvn3.txt").read_text(encoding="utf-8").strip()
VNI_TEXT = (HERE / "legacy-vni.txt").read_text(encoding="utf-8").strip()

DATA_SHEET = "Số liệu"
META_SHEET = "_phoihop"
HEADER_ROW = 8

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@dataclass
class Ctx:
    template: bytes  # org_a's template, one value stored beforehand
    other_template: bytes  # org_b's template (another organisation)
    tmp_path: Path


# ---------------------------------------------------------------- zip surgery

def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _patch_headers(content: bytes, name: str, patch: Callable[[bytearray, int, bool], None]) -> bytes:
    """Call patch(data, offset, central) on the local and central headers of member `name`."""
    data = bytearray(content)
    encoded = name.encode()
    for match in re.finditer(rb"PK\x01\x02", bytes(data)):
        at = match.start()
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == encoded:
            patch(data, at, True)
            local = struct.unpack_from("<I", data, at + 42)[0]
            patch(data, local, False)
            return bytes(data)
    raise KeyError(name)


def _set_flag(bit: int):
    def patch(data: bytearray, at: int, central: bool) -> None:
        offset = at + (8 if central else 6)
        struct.pack_into("<H", data, offset, struct.unpack_from("<H", data, offset)[0] | bit)
    return patch


def _set_method(method: int):
    def patch(data: bytearray, at: int, central: bool) -> None:
        struct.pack_into("<H", data, at + (10 if central else 8), method)
    return patch


def _shrink_declared_size(data: bytearray, at: int, central: bool) -> None:
    offset = at + (24 if central else 22)
    struct.pack_into("<I", data, offset, max(1, struct.unpack_from("<I", data, offset)[0] // 4))


def _sheet_xml(ctx: Ctx, index: int = 1) -> tuple[dict[str, bytes], str, str]:
    parts = members(ctx.template)
    name = f"xl/worksheets/sheet{index}.xml"
    return parts, name, parts[name].decode()


def _edit_sheet(ctx: Ctx, change: Callable[[str], str], index: int = 1) -> bytes:
    parts, name, xml = _sheet_xml(ctx, index)
    changed = change(xml)
    assert changed != xml, "the corpus case did not change the sheet"
    parts[name] = changed.encode()
    return rezip(parts)


def _first_value_cell(xml: str) -> re.Match:
    """The first (empty) input cell of column H in a data row."""
    return re.search(r'<c r="H(\d+)"( s="\d+")? t="n"(?:/>|></c>)', xml[xml.index(f'<row r="{HEADER_ROW + 2}"'):])


def _value_cell(ctx: Ctx, cell_xml: Callable[[str, str], str]) -> bytes:
    """The template with the first empty input cell replaced by raw XML `cell_xml(ref, style)`."""
    def change(xml: str) -> str:
        start = xml.index(f'<row r="{HEADER_ROW + 2}"')
        match = _first_value_cell(xml)
        ref, style = f"H{match.group(1)}", match.group(2) or ""
        return xml[:start + match.start()] + cell_xml(ref, style) + xml[start + match.end():]
    return _edit_sheet(ctx, change)


def _workbook(ctx: Ctx, change: Callable[[openpyxl.Workbook], None], source: bytes | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(source or ctx.template))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _meta(key: str, value) -> Callable[[openpyxl.Workbook], None]:
    def change(wb):
        ws = wb[META_SHEET]
        for row in ws.iter_rows(min_row=1, max_row=20):
            if row[0].value == key:
                row[1].value = value
                return
        raise KeyError(key)
    return change


def _set_input(text, column: str = "H"):
    def change(wb):
        ws = wb[DATA_SHEET]
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            if ws[f"B{r}"].value == "recruit_called":
                ws[f"{column}{r}"] = text
                return
        raise KeyError("recruit_called")
    return change


# ---------------------------------------------------------------- files that are not .xlsx at all

def _docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Báo cáo số liệu — không phải bảng tính")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ods() -> bytes:
    return rezip({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0" encoding="UTF-8"?><manifest/>',
    }, zipfile.ZIP_STORED)


def _too_many_members(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    parts.update({f"xl/media/image{i}.png": PNG_1PX for i in range(600)})
    return rezip(parts)


def _bomb_in_shared_strings(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    parts["xl/sharedStrings.xml"] = b"<sst>" + b"A" * (60 * 1024 * 1024) + b"</sst>"
    return rezip(parts)


def _billion_laughs(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    entities = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 10}">' for i in range(1, 10))
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "ha">{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>'
    ).encode()
    return rezip(parts)


def _utf16_part(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    xml = parts["xl/styles.xml"].decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    parts["xl/styles.xml"] = xml.encode("utf-16")
    return rezip(parts)


def _macro_content_type(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    return rezip(parts)


def _macro_other_case(ctx: Ctx) -> bytes:
    parts = members(ctx.template)
    parts["xl/VBAPROJECT.BIN"] = b"\xd0\xcf\x11\xe0" + b"\0" * 200
    return rezip(parts)


def _oversized(ctx: Ctx) -> Path:
    path = ctx.tmp_path / "qua-lon-11mb.xlsx"
    parts = members(ctx.template)
    parts["xl/media/video.bin"] = os.urandom(11 * 1024 * 1024)
    path.write_bytes(rezip(parts, zipfile.ZIP_STORED))
    return path


def _huge_sheet(ctx: Ctx) -> Path:
    def change(wb):
        ws = wb[DATA_SHEET]
        start = ws.max_row + 1
        for r in range(start, start + 5100):
            ws.cell(r, 2, "recruit_called")
    path = ctx.tmp_path / "bang-qua-dai.xlsx"
    path.write_bytes(_workbook(ctx, change))
    return path


def _inserted_rows(ctx: Ctx) -> bytes:
    def change(wb):
        wb[DATA_SHEET].insert_rows(HEADER_ROW + 3, amount=2)
        wb[DATA_SHEET][f"H{HEADER_ROW + 6}"] = 5
    return _workbook(ctx, change)


def _data_rows_deleted(ctx: Ctx) -> bytes:
    def change(wb):
        ws = wb[DATA_SHEET]
        ws.delete_rows(HEADER_ROW + 1, ws.max_row - HEADER_ROW)
    return _workbook(ctx, change)


def _every_value_blank(ctx: Ctx) -> bytes:
    """The template with its one stored value cleared: nothing left to import."""
    def change(wb):
        ws = wb[DATA_SHEET]
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            ws[f"H{r}"] = None
            ws[f"I{r}"] = None
    return _workbook(ctx, change)


def _renamed_data_sheet(ctx: Ctx) -> bytes:
    def change(wb):
        wb[DATA_SHEET].title = "Sheet1"
    return _workbook(ctx, change)


def _no_metadata(ctx: Ctx) -> bytes:
    def change(wb):
        del wb[META_SHEET]
    return _workbook(ctx, change)


# ---------------------------------------------------------------- the corpus

EXCEL_CASES: dict[str, tuple[Callable[[Ctx], bytes | Path], str]] = {
    # Not an .xlsx at all.
    "pdf-renamed-xlsx": (lambda ctx: PDF_HEAD, "không phải là tệp Excel .xlsx"),
    "png-renamed-xlsx": (lambda ctx: PNG_1PX, "không phải là tệp Excel .xlsx"),
    "csv-renamed-xlsx": (lambda ctx: "Mã chỉ số,Giá trị\nrecruit_called,5\n".encode("utf-8-sig"), "không phải là tệp Excel .xlsx"),
    "html-table-renamed-xlsx": (lambda ctx: b"<html><table><tr><td>=1+1</td></tr></table></html>", "không phải là tệp Excel .xlsx"),
    "gzip-of-the-template": (lambda ctx: gzip.compress(ctx.template), "không phải là tệp Excel .xlsx"),
    "password-protected-xlsx": (lambda ctx: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
                                "đặt mật khẩu"),
    "opendocument-spreadsheet": (lambda ctx: _ods(), "không phải là bảng tính Excel"),
    "word-document-renamed": (lambda ctx: _docx(), "không phải là bảng tính Excel"),
    "empty-zip-archive": (lambda ctx: b"PK\x05\x06" + b"\0" * 18, "không phải là bảng tính Excel"),
    # Corrupt or hostile archives.
    "too-many-zip-members": (_too_many_members, "quá nhiều thành phần"),
    "zip-bomb-shared-strings": (_bomb_in_shared_strings, "bom nén"),
    "declared-size-lies": (lambda ctx: _patch_headers(ctx.template, "xl/workbook.xml", _shrink_declared_size), "bị hỏng"),
    "encrypted-zip-member": (lambda ctx: _patch_headers(ctx.template, "xl/workbook.xml", _set_flag(0x1)), "bị hỏng"),
    "unknown-compression-method": (lambda ctx: _patch_headers(ctx.template, "xl/styles.xml", _set_method(99)), "bị hỏng"),
    "billion-laughs-entities": (_billion_laughs, "DOCTYPE/ENTITY"),
    "utf16-xml-part": (_utf16_part, "không ở dạng UTF-8"),
    "macro-enabled-content-type": (_macro_content_type, "macro"),
    "vba-project-upper-case": (_macro_other_case, "macro"),
    "oversized-11-mb": (_oversized, "Tệp quá lớn"),
    # Well-formed zip, broken sheet XML (openpyxl raises while reading).
    "truncated-data-sheet-xml": (lambda ctx: _edit_sheet(ctx, lambda x: x[: len(x) // 2]), "bị hỏng"),
    "truncated-metadata-sheet-xml": (lambda ctx: _edit_sheet(ctx, lambda x: x[: len(x) // 2], index=2), "bị hỏng"),
    "number-cell-holding-text": (lambda ctx: _value_cell(ctx, lambda ref, s: f'<c r="{ref}"{s} t="n"><v>abc</v></c>'), "bị hỏng"),
    "shared-string-out-of-range": (lambda ctx: _value_cell(ctx, lambda ref, s: f'<c r="{ref}"{s} t="s"><v>9999</v></c>'), "bị hỏng"),
    "invalid-cell-reference": (lambda ctx: _edit_sheet(ctx, lambda x: x.replace(f'<c r="H{HEADER_ROW + 2}"', '<c r="!!1"', 1)), "bị hỏng"),
    # Workbooks that are not this template.
    "metadata-sheet-removed": (_no_metadata, "không phải mẫu nhập số liệu của Phối Hợp"),
    "unknown-organisation": (lambda ctx: _workbook(ctx, _meta("organization", 987654321)), "tổ chức không có trong Phối Hợp"),
    "garbage-period-code": (lambda ctx: _workbook(ctx, _meta("period", "2019-13")), "Mã kỳ báo cáo “2019-13” không hợp lệ"),
    "unknown-convention": (lambda ctx: _workbook(ctx, _meta("convention", "lunar")), "cách chốt số liệu không hợp lệ"),
    "data-sheet-renamed": (_renamed_data_sheet, "thiếu trang tính"),
    "another-organisations-template": (lambda ctx: ctx.other_template, "Không có quyền"),
    "huge-sheet-5100-extra-rows": (_huge_sheet, "bảng có quá 5000 dòng"),
    "rows-inserted-mid-sheet": (_inserted_rows, "mã chỉ số đã bị sửa"),
    # Emptied templates (issue 12): refused, not "imported, 0 values".
    "data-rows-deleted": (_data_rows_deleted, "không còn dòng chỉ số nào"),
    "every-value-blank": (_every_value_blank, "Tệp không có giá trị nào để nhập"),
    # Bad cells.
    "dde-formula-in-value": (lambda ctx: _workbook(ctx, _set_input("=cmd|' /C calc'!A0")), "chứa công thức"),
    "webservice-formula-in-comment": (lambda ctx: _workbook(ctx, _set_input('=WEBSERVICE("http://127.0.0.1/x")', "I")), "chứa công thức"),
    "error-value-cell": (lambda ctx: _value_cell(ctx, lambda ref, s: f'<c r="{ref}"{s} t="e"><v>#DIV/0!</v></c>'), "có lỗi"),
    "nan-text": (lambda ctx: _workbook(ctx, _set_input("NaN")), "giá trị không hợp lệ"),
    "infinity-text": (lambda ctx: _workbook(ctx, _set_input("Infinity")), "giá trị không hợp lệ"),
    "number-too-large": (lambda ctx: _workbook(ctx, _set_input(1e20)), "số quá lớn"),
    "tcvn3-words-as-number": (lambda ctx: _workbook(ctx, _set_input("m\u00adêi hai")), "không phải là số"),
    "nfd-words-as-number": (lambda ctx: _workbook(ctx, _set_input(nfd("mười hai"))), "“mười hai” không phải là số"),
}


# ---------------------------------------------------------------- attachments: real files and crafted ones

def real_pdf(extra_object: bytes = b"") -> bytes:
    """A small but well-formed PDF (one blank page; cross-reference table at the right offsets)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    if extra_object:
        objects.append(extra_object)
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def real_image(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def real_docx(first_member: tuple[str, bytes] | None = None) -> bytes:
    """A Word document made by python-docx; `first_member` is stored before its parts."""
    from docx import Document

    document = Document()
    document.add_paragraph("Biên bản bàn giao nhà tình nghĩa")
    out = io.BytesIO()
    document.save(out)
    if first_member is None:
        return out.getvalue()
    return rezip({first_member[0]: first_member[1], **members(out.getvalue())})


def _png_with_text(text: bytes) -> bytes:
    """A real PNG carrying `text` in a tEXt chunk right after its header (first bytes of the file)."""
    import zlib

    png = real_image("PNG")
    chunk_data = b"Comment\0" + text
    chunk = struct.pack(">I", len(chunk_data)) + b"tEXt" + chunk_data + struct.pack(">I", zlib.crc32(b"tEXt" + chunk_data) & 0xFFFFFFFF)
    return png[:33] + chunk + png[33:]


def _docx_parts(change: Callable[[dict[str, bytes]], None]) -> bytes:
    parts = members(real_docx())
    change(parts)
    return rezip(parts)


def _with_macro(parts: dict[str, bytes]) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 60


def _without_main_part(parts: dict[str, bytes]) -> None:
    del parts["word/document.xml"]


def _spreadsheet_types(parts: dict[str, bytes]) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")


def _docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members(real_docx()).items():
            archive.writestr(name, data)
        archive.writestr("word/media/bom.bin", b"\0" * (101 * 1024 * 1024))
    return out.getvalue()


# Activity attachments (reporting.forms.ActivityForm): (file name, bytes, message fragment).
ATTACHMENT_CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "exe-file": ("cai-dat.exe", lambda: b"MZ\x90\x00" + b"\0" * 200, "Chỉ nhận tệp JPG, PNG, PDF hoặc DOCX"),
    "double-extension": ("anh.png.exe", lambda: PNG_1PX, "Chỉ nhận tệp JPG, PNG, PDF hoặc DOCX"),
    "svg-image": ("anh.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Chỉ nhận tệp JPG, PNG, PDF hoặc DOCX"),
    "html-file": ("bien-ban.html", lambda: b"<script>alert(1)</script>", "Chỉ nhận tệp JPG, PNG, PDF hoặc DOCX"),
    "text-named-png": ("anh-hoat-dong.png", lambda: "Đây không phải là ảnh".encode(), "không đúng với đuôi .png"),
    "html-named-jpg": ("anh.jpg", lambda: b"<html><script>alert(1)</script></html>", "không đúng với đuôi .jpg"),
    "jpeg-named-png": ("anh.png", lambda: JPEG_HEAD + b"\0" * 100, "không đúng với đuôi .png"),
    "pdf-named-docx": ("bao-cao.docx", lambda: PDF_HEAD, "không đúng với đuôi .docx"),
    "zip-named-pdf": ("bien-ban.pdf", lambda: rezip({"a.txt": b"x"}), "không đúng với đuôi .pdf"),
    "oversized-pdf": ("bien-ban.pdf", lambda: PDF_HEAD + b"\0" * (10 * 1024 * 1024), "Tệp quá lớn"),
    # Checked by what the whole file is, not its first bytes (issue 12).
    "pdf-header-only": ("bien-ban.pdf", lambda: PDF_HEAD, "Tệp PDF bị hỏng"),
    "pdf-cut-short": ("bien-ban.pdf", lambda: real_pdf()[:-40], "Tệp PDF bị hỏng"),
    "pdf-startxref-points-nowhere": ("bien-ban.pdf", lambda: real_pdf().replace(b"startxref\n", b"startxref\n9"), "Tệp PDF bị hỏng"),
    "pdf-with-javascript": ("bien-ban.pdf", lambda: real_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "nội dung tự chạy"),
    "pdf-then-zip-polyglot": ("bien-ban.pdf", lambda: real_pdf()[:-6] + rezip({"x.html": b"<script>alert(1)</script>"}) + b"\n%%EOF\n",
                              "Tệp PDF bị hỏng"),
    "pdf-carrying-a-zip": ("bien-ban.pdf", lambda: real_pdf(b"<< /Length 200 >>\nstream\n" + rezip({"x.html": b"<script>"}) + b"\nendstream"),
                           "tệp ghép"),
    "pdf-opening-with-html": ("bien-ban.pdf", lambda: real_pdf(b"(<html><script>alert(1)</script></html>)"), "tệp ghép"),
    "png-header-then-garbage": ("anh.png", lambda: real_image("PNG")[:16] + b"\0" * 200, "không phải là ảnh hợp lệ"),
    "truncated-jpeg": ("anh.jpg", lambda: real_image("JPEG", (400, 300))[:600], "không phải là ảnh hợp lệ"),
    "png-pixel-bomb": ("anh.png", lambda: _png_header(100_000, 100_000), "điểm ảnh quá lớn"),
    "png-with-html-in-text-chunk": ("anh.png", lambda: _png_with_text(b"<html><script>alert(1)</script></html>"), "tệp ghép"),
    "jpeg-with-zip-appended": ("anh.jpg", lambda: real_image("JPEG") + rezip({"a.js": b"alert(1)"}), "tệp ghép"),
    "jpeg-with-pdf-inside": ("anh.jpg", lambda: real_image("JPEG", comment=real_pdf()), "tệp ghép"),
    "zip-named-docx": ("bao-cao.docx", lambda: rezip({"a.txt": b"x"}), "không phải văn bản Word"),
    "xlsx-renamed-docx": ("bao-cao.docx", lambda: _docx_parts(_spreadsheet_types), "không phải văn bản Word"),
    "docx-without-main-part": ("bao-cao.docx", lambda: _docx_parts(_without_main_part), "không phải văn bản Word"),
    "docm-renamed-docx": ("bao-cao.docx", lambda: _docx_parts(_with_macro), "macro"),
    "docx-zip-bomb": ("bao-cao.docx", _docx_bomb, "bom nén"),
    "docx-also-a-pdf": ("bao-cao.docx", lambda: real_docx(("%PDF-1.4.txt", b"%PDF-1.4\n")), "tệp ghép"),
}

# Attachments that must be accepted (the positive controls of the cases above): (file name, bytes, content type).
VALID_ATTACHMENTS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "pdf": ("bien-ban.pdf", real_pdf, "application/pdf"),
    "jpeg": ("anh.JPG", lambda: real_image("JPEG", (640, 480)), "image/jpeg"),
    "png": ("anh.png", lambda: real_image("PNG"), "image/png"),
    "docx": ("bao-cao.docx", real_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

# News images (phoihop.news.images.check_image), when that module exists.
IMAGE_CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "text-named-png": ("anh.png", lambda: "không phải ảnh".encode()),
    "truncated-png": ("anh.png", lambda: PNG_1PX[:40]),
    "svg-with-script": ("anh.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "pixel-bomb-png": ("bom.png", lambda: _png_header(100_000, 100_000)),
    "pdf-named-jpg": ("anh.jpg", lambda: PDF_HEAD),
    "oversized-jpeg": ("anh.jpg", lambda: JPEG_HEAD + b"\0" * (6 * 1024 * 1024)),
}


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels (a decompression bomb once decoded)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
