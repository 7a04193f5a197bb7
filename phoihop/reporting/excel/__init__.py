"""The Excel round trip of reporting: a protected template per organisation × period, and its import.

`build_template(organization, period)` writes the organisation's indicators (one row per indicator
and disaggregation option), last period's values, the year's targets and the values stored so far
into a workbook whose only unlocked cells are "Giá trị kỳ này" and "Ghi chú". A very hidden sheet
carries what the import needs: template kind and version, organisation, period, convention, and per
row the indicator code, option code and the version of the stored value the user started from.

`import_workbook(file, user)` refuses a bad file before parsing it (size, not a zip, corrupt zip,
zip bomb, DTDs, macros), refuses a workbook that is not ours, then hands every input row to
`bulk.save_batches`: all values are written or none, and every problem is labelled with its
sheet and cell. See docs/excel.md.
"""

from phoihop.reporting.excel.importer import ImportProblem, ImportResult, import_workbook
from phoihop.reporting.excel.layout import (
    CHECKED_HEADERS,
    COLUMNS,
    DATA_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MAX_DATA_ROWS,
    MAX_IMPORT_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    META_COLUMNS,
    META_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    VALUE_COL,
    XLSX_CONTENT_TYPE,
)
from phoihop.reporting.excel.reader import Refused, open_safely
from phoihop.reporting.excel.template import (
    TemplateFile,
    build_template,
    make_template,
    template_filename,
)

__all__ = [
    "CHECKED_HEADERS", "COLUMNS", "DATA_SHEET", "FIRST_DATA_ROW", "HEADER_ROW", "MAX_DATA_ROWS", "MAX_IMPORT_BYTES",
    "MAX_UNCOMPRESSED_BYTES", "MAX_ZIP_MEMBERS", "META_COLUMNS", "META_SHEET", "TEMPLATE_KIND", "TEMPLATE_VERSION",
    "VALUE_COL", "XLSX_CONTENT_TYPE", "ImportProblem", "ImportResult", "Refused", "TemplateFile", "build_template",
    "import_workbook", "make_template", "open_safely", "template_filename",
]
