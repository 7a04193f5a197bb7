"""The layout the template and the import share: the template's kind and version, sheet names,
columns, rows, and the limits on an uploaded file."""

from __future__ import annotations

TEMPLATE_KIND = "phoihop.reporting.values"
TEMPLATE_VERSION = 1
DATA_SHEET = "Số liệu"
META_SHEET = "_phoihop"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all zip members together, as declared in the zip
MAX_ZIP_MEMBERS = 500
MAX_DATA_ROWS = 5000

FONT_NAME = "Times New Roman"  # has every Vietnamese glyph on Windows, macOS and LibreOffice
HEADER_ROW = 8
FIRST_DATA_ROW = HEADER_ROW + 1

# (column letter, header, width); H and I are the only unlocked columns.
COLUMNS = [
    ("A", "STT", 6),
    ("B", "Mã chỉ số", 22),
    ("C", "Chỉ số", 46),
    ("D", "Phân tổ", 18),
    ("E", "Đơn vị tính", 12),
    ("F", "Kỳ trước", 14),
    ("G", "Chỉ tiêu năm", 14),
    ("H", "Giá trị kỳ này", 16),
    ("I", "Ghi chú", 26),
]
CODE_COL, OPTION_COL, VALUE_COL, COMMENT_COL = "B", "D", "H", "I"
META_COLUMNS = ("row", "indicator", "option", "version", "value", "comment")
# Headers the import checks to know the columns were not moved.
CHECKED_HEADERS = {"B": "Mã chỉ số", "D": "Phân tổ", "H": "Giá trị kỳ này", "I": "Ghi chú"}

