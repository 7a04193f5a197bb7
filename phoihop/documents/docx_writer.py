"""Render a `layout.Document` as an official .docx.

State bodies: Decree 30/2020/NĐ-CP, Annex I (A4 portrait; margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; the sizes below). Party bodies: Hướng dẫn 36-HD/VPTW (2018)
for the header ("ĐẢNG CỘNG SẢN VIỆT NAM", the "*" under the issuer, "Số 15-BC/BDVTU").
Layout decisions and their references: docs/documents.md.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from phoihop.core.formatting import number_vi, place_date_line

from . import layout as L
from .text import LEGACY, clean

FONT = "Times New Roman"

# Page (Annex I, I.1–I.3): A4 portrait, margins at the low end of the decree's ranges.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5

# Sizes in points (Annex I, II; HD 36-HD/VPTW for the Party header).
MOTTO = 13  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": 12–13, bold caps
SLOGAN = 14  # "Độc lập - Tự do - Hạnh phúc": 13–14, bold
ISSUER = 13  # parent (caps) and issuing body (caps bold): 12–13
NUMBER = 13  # "Số: 15/BC-BCHQS": 13
DATE = 14  # place and date line: 13–14 italic
KIND = 14  # "BÁO CÁO": 13–14 bold caps
TITLE = 14  # subject line: 13–14 bold
BODY = 14  # body text: 13–14
TABLE = 12
TABLE_WIDE = 11  # tables of more than 7 columns
RECIPIENTS_HEAD = 12  # "Nơi nhận:" bold italic
RECIPIENTS = 11  # the list
SIGNATURE = 14  # authority, title (caps bold), name (bold): 13–14
PAGE_NUMBER = 13  # centred in the top margin, not on page 1
CAPTION = 13
PARTY_TITLE = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM", bold, ruled
PARTY_ISSUER = 14
PARTY_NUMBER = 14
WATERMARK = 12
# Joint documents with three blocks to a row: the low end of the decree's ranges, so that names
# of usual length keep to two lines in a 5.5 cm column.
CROWDED_ISSUER = 12
CROWDED_PARTY_ISSUER = 13
CROWDED_SIGNATURE = 13

FIRST_LINE_INDENT_CM = 1.27  # 1–1.27 cm
PARAGRAPH_AFTER_PT = 6  # at least 6 pt between paragraphs
BODY_LINE_SPACING = 1.15  # single to 1.5 lines
SIGNATURE_SPACE_LINES = 4  # blank lines left for the signature and the seal

# Header columns of a single-issuer document: issuer block ~40 %, motto block ~60 %.
ISSUER_COLUMN_CM = 6.3
MOTTO_COLUMN_CM = TEXT_WIDTH_CM - ISSUER_COLUMN_CM
MAX_PER_ROW = 3  # joint documents: issuer blocks and signatures, at most three side by side
HEADER_CELL_MARGIN_CM = 0.15
CROWDED_CELL_MARGIN_CM = 0.08  # 5.34 cm of text in a 5.5 cm column

GAP_EMPTY = "[Chưa có nội dung]"
GAP_LEGACY = "[Đoạn văn có mã ký tự cũ, cần nhập lại]"
GAP_LEGACY_SHORT = "[mã ký tự cũ]"
GAP_SIGNER = "[Họ và tên người ký]"
GAP_ISSUER = "[Tên cơ quan]"
GAP_SIGNER_TITLE = "[Chức vụ người ký]"


def render(document: L.Document) -> bytes:
    """The .docx file of `document`, as bytes."""
    return _Writer(document).render()


# --- text width (to size the rules under headings) ------------------------------------------
# Advance widths of Times Bold / Times Roman (Adobe AFM, 1/1000 em) for ASCII 32–126; Times New
# Roman and Liberation Serif share these metrics. Vietnamese letters take the width of their
# base letter.
_BOLD_WIDTHS = (
    250, 333, 555, 500, 500, 1000, 833, 333, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
    722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
    722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
    556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
    444, 394, 220, 394, 520,
)
_REGULAR_WIDTHS = (
    250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
    722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
    722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
    500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
    444, 480, 200, 480, 541,
)


def text_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """Approximate printed width of one line of `text` in Times New Roman."""
    widths = _BOLD_WIDTHS if bold else _REGULAR_WIDTHS
    total = 0
    for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")):
        if unicodedata.combining(ch):
            continue
        code = ord(ch)
        total += widths[code - 32] if 32 <= code < 127 else 600
    return total / 1000 * size_pt / 72 * 2.54


# --- small XML helpers ------------------------------------------------------------------------


def _set_fonts(rpr, size_pt: float | None = None) -> None:
    """Times New Roman for every script slot (ASCII, Latin, East Asian, complex) and vi-VN."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def _border(paragraph, sides: Iterable[str], size_eighths: int = 6, space_pt: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        # pBdr must come before spacing/ind/jc in pPr.
        anchor = next((ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
                       if ppr.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(bdr)
        else:
            ppr.append(bdr)
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size_eighths))
        el.set(qn("w:space"), str(space_pt))
        el.set(qn("w:color"), "000000")
        bdr.append(el)


def _mark_size(paragraph, size_pt: float) -> None:
    """Size of the paragraph mark: keeps an empty paragraph (a rule) as thin as wanted."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(max(2, int(size_pt * 2))))
        rpr.append(el)


def _borderless(table, cell_margin_cm: float = HEADER_CELL_MARGIN_CM) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    _cell_margins(table, cell_margin_cm)


def _cell_margins(table, cm: float) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def _widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (tblGrid, tcW, tblW, fixed)."""
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    tbl_w.set(qn("w:type"), "dxa")
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _cant_split(row, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _page_field(paragraph, size_pt: float) -> None:
    """A PAGE field (begin / instruction / separate / result / end)."""

    def run_with(child):
        run = paragraph.add_run()
        run.font.size = Pt(size_pt)
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    shown = paragraph.add_run("2")
    shown.font.size = Pt(size_pt)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# Child order the WordprocessingML schema requires (Word refuses files that break it; LibreOffice
# does not care). Elements added by hand are put back in order by `_schema_order` at the end.
_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
           "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
           "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
           "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
           "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
           "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
           "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
             "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
             "tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
            "tcFitText vAlign hideMark",
}
_RANKS = {qn(f"w:{parent}"): {qn(f"w:{tag}"): i for i, tag in enumerate(order.split())}
          for parent, order in _ORDER.items()}


def _schema_order(root) -> None:
    """Sort the children of every rPr, pPr, tblPr and tcPr under `root` into schema order."""
    for parent_tag, ranks in _RANKS.items():
        for parent in root.iter(parent_tag):
            children = list(parent)
            ordered = sorted(children, key=lambda el: ranks.get(el.tag, len(ranks)))
            if ordered != children:
                for child in children:
                    parent.remove(child)
                parent.extend(ordered)


def _chunks(items: Sequence, per_row: int = MAX_PER_ROW) -> list[list]:
    """Balanced rows of at most `per_row`: 4 → 2+2, 5 → 3+2, 7 → 3+2+2."""
    if not items:
        return []
    rows = math.ceil(len(items) / per_row)
    base, extra = divmod(len(items), rows)
    out, start = [], 0
    for i in range(rows):
        size = base + (1 if i < extra else 0)
        out.append(list(items[start:start + size]))
        start += size
    return out


def format_cell(value: L.Cell) -> str:
    """A table value as printed: numbers the Vietnamese way, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return number_vi(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return number_vi(round(value, 2))
    if isinstance(value, Decimal):
        return number_vi(value) if value.is_finite() else ""
    return str(value)


# --- the writer -------------------------------------------------------------------------------


class _Writer:
    def __init__(self, document: L.Document) -> None:
        if not document.issuers:
            raise ValueError("A document needs at least one issuer (Document.issuers is empty).")
        self.d = document
        self.doc = docx.Document()

    def render(self) -> bytes:
        self._setup()
        if self.d.draft_watermark:
            self._watermark(self.d.draft_watermark)
        if self.d.is_joint:
            self._header_joint()
        else:
            self._header_single(self.d.issuers[0])
        self._kind_and_title()
        for block in self.d.blocks or []:
            self._block(block)
        self._closing()
        _schema_order(self.doc.element)
        _schema_order(self.doc.styles.element)
        section = self.doc.sections[0]
        for part in (section.header, section.first_page_header):
            _schema_order(part._element)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    # --- page, styles, running header ---------------------------------------------------------

    def _setup(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr_default, BODY)
        ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr_default.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")

        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY)
        _set_fonts(normal.element.get_or_add_rPr(), BODY)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0

        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # Page numbers from page 2: "different first page" with an empty first-page header.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(p, PAGE_NUMBER)

        props = self.doc.core_properties
        props.title = self._plain(f"{self.d.kind} {self.d.title}")[:250]
        props.author = self._plain(", ".join(i.name for i in self.d.issuers))[:250]
        props.language = "vi-VN"

    # --- paragraphs and runs -----------------------------------------------------------------

    @staticmethod
    def _plain(text: str) -> str:
        cleaned = clean(text)
        return cleaned.text.replace("\n", " ") if cleaned.ok else ""

    def _para(self, container, *, align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0,
              after: float = 0, line: float | None = None, first_indent: float | None = None,
              left: float | None = None, right: float | None = None, keep_next: bool = False,
              reuse: bool = False):
        if reuse and len(container.paragraphs) == 1 and not container.paragraphs[0].runs:
            p = container.paragraphs[0]
        else:
            p = container.add_paragraph()
        fmt = p.paragraph_format
        p.alignment = align
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if line is not None:
            fmt.line_spacing = line
        if first_indent is not None:
            fmt.first_line_indent = Cm(first_indent)
        if left is not None:
            fmt.left_indent = Cm(left)
        if right is not None:
            fmt.right_indent = Cm(right)
        if keep_next:
            fmt.keep_with_next = True
        return p

    @staticmethod
    def _run(p, text: str, size: float, *, bold: bool = False, italic: bool = False,
             underline: bool = False, gap: bool = False):
        run = p.add_run(text)
        font = run.font
        font.size = Pt(size)
        if bold:
            font.bold = True
        if italic or gap:
            font.italic = True
        if underline:
            font.underline = True
        if gap:
            font.highlight_color = WD_COLOR_INDEX.YELLOW
        return run

    def _text(self, p, raw: str, size: float, *, bold: bool = False, italic: bool = False,
              upper: bool = False) -> None:
        """Short text (names, titles, cells): cleaned; unusable text → a highlighted marker."""
        cleaned = clean(raw)
        if cleaned.problem == LEGACY:
            self._run(p, GAP_LEGACY_SHORT, size, bold=bold, gap=True)
            return
        text = cleaned.text.upper() if upper else cleaned.text
        self._run(p, text, size, bold=bold, italic=italic)

    def _rule(self, container, width_cm: float, column_cm: float, *, reuse: bool = False,
              after: float = 0) -> None:
        """A short solid horizontal line, centred in a column `column_cm` wide."""
        side = max(0.0, (column_cm - width_cm) / 2)
        p = self._para(container, left=side, right=side, reuse=reuse, after=after)
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(5)
        _mark_size(p, 2)
        _border(p, ["bottom"], size_eighths=6, space_pt=0)

    def _gap_paragraph(self, text: str) -> None:
        p = self._body_paragraph()
        self._run(p, text, BODY, gap=True)

    def _body_paragraph(self, *, keep_next: bool = False):
        return self._para(self.doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=PARAGRAPH_AFTER_PT,
                          line=BODY_LINE_SPACING, first_indent=FIRST_LINE_INDENT_CM,
                          keep_next=keep_next)

    # --- first page -------------------------------------------------------------------------

    def _watermark(self, text: str) -> None:
        label = self._plain(text).upper() or "DỰ THẢO"
        width = min(TEXT_WIDTH_CM, text_width_cm(label, WATERMARK, bold=True) + 0.8)
        side = (TEXT_WIDTH_CM - width) / 2
        p = self._para(self.doc, left=side, right=side, after=6, reuse=True)
        _border(p, ["top", "left", "bottom", "right"], size_eighths=8, space_pt=2)
        self._run(p, label, WATERMARK, bold=True)

    def _header_table(self, rows: int, widths_cm: Sequence[float],
                      margin_cm: float = HEADER_CELL_MARGIN_CM):
        """A borderless table of fixed columns, centred (header blocks, signatures)."""
        table = self.doc.add_table(rows=rows, cols=len(widths_cm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _borderless(table, margin_cm)
        _widths(table, widths_cm)
        return table

    def _header_single(self, issuer: L.Issuer) -> None:
        table = self._header_table(2, [ISSUER_COLUMN_CM, MOTTO_COLUMN_CM])
        inner_left = ISSUER_COLUMN_CM - 2 * HEADER_CELL_MARGIN_CM
        inner_right = MOTTO_COLUMN_CM - 2 * HEADER_CELL_MARGIN_CM
        self._issuer_block(table.cell(0, 0), issuer, inner_left)
        self._motto_block(table.cell(0, 1), inner_right, reuse=True)
        self._number_line(table.cell(1, 0), issuer)
        p = self._para(table.cell(1, 1), before=6, reuse=True)
        self._date_line(p)

    def _header_joint(self) -> None:
        # The motto heads the page, centred; the issuers' blocks follow side by side, at most
        # three to a row, each with its own "Số"; the date line sits where a single-issuer
        # document has it (centred under the right ~60 %).
        self._motto_block(self.doc, TEXT_WIDTH_CM, reuse=True)
        rows = _chunks(self.d.issuers)
        column = TEXT_WIDTH_CM / max(len(r) for r in rows)
        for index, row in enumerate(rows):
            spacer = self._para(self.doc, after=0)
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spacer.paragraph_format.line_spacing = Pt(6 if index == 0 else 10)
            _mark_size(spacer, 4)
            crowded = len(rows[0]) >= MAX_PER_ROW
            margin = CROWDED_CELL_MARGIN_CM if crowded else HEADER_CELL_MARGIN_CM
            table = self._header_table(2, [column] * len(row), margin)
            for col, issuer in enumerate(row):
                self._issuer_block(table.cell(0, col), issuer, column - 2 * margin,
                                   crowded=crowded)
                self._number_line(table.cell(1, col), issuer, crowded=crowded)
        p = self._para(self.doc, before=8, left=ISSUER_COLUMN_CM + HEADER_CELL_MARGIN_CM)
        self._date_line(p)

    def _issuer_block(self, cell, issuer: L.Issuer, inner_cm: float, *,
                      crowded: bool = False) -> None:
        party = issuer.is_party
        if crowded:
            size = CROWDED_PARTY_ISSUER if party else CROWDED_ISSUER
        else:
            size = PARTY_ISSUER if party else ISSUER
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        first = True
        if self._plain(issuer.parent_name):
            p = self._para(cell, reuse=True)
            self._lines(p, issuer.parent_name, size, bold=False)
            first = False
        p = self._para(cell, reuse=first)
        name = issuer.name or ""
        if clean(name).ok and not clean(name).text:
            name = GAP_ISSUER
            self._run(p, name, size, bold=True, gap=True)
        else:
            self._lines(p, name, size, bold=True)
        if party:
            star = self._para(cell)
            self._run(star, "*", size)
        else:
            longest = max((text_width_cm(line, size, bold=True)
                           for line in self._plain_lines(name)), default=3.0)
            width = min(max(0.42 * min(longest, inner_cm), 1.8), inner_cm * 0.6)
            self._rule(cell, width, inner_cm)

    def _plain_lines(self, text: str) -> list[str]:
        cleaned = clean(text)
        return cleaned.text.upper().split("\n") if cleaned.ok else [GAP_LEGACY_SHORT]

    def _lines(self, p, raw: str, size: float, *, bold: bool) -> None:
        """In capitals, keeping the caller's line breaks (python-docx makes them <w:br/>)."""
        cleaned = clean(raw)
        if not cleaned.ok:
            self._run(p, GAP_LEGACY_SHORT, size, bold=bold, gap=True)
            return
        self._run(p, cleaned.text.upper(), size, bold=bold)

    def _number_line(self, cell, issuer: L.Issuer, *, crowded: bool = False) -> None:
        size = PARTY_NUMBER if issuer.is_party and not crowded else NUMBER
        p = self._para(cell, before=6, reuse=True)
        # Clean the parts, not the line: the blank left for a hand-written number must survive.
        parts = {f: self._plain(getattr(issuer, f)) for f in ("symbol", "kind_abbr", "issuer_abbr")}
        number = issuer.number if isinstance(issuer.number, int) else (
            self._plain(issuer.number) or None if issuer.number is not None else None)
        self._run(p, replace(issuer, number=number, **parts).number_text(), size)

    def _motto_block(self, container, inner_cm: float, *, reuse: bool = False) -> None:
        if self.d.party_motto:
            # HD 36-HD/VPTW: caps, size 15, bold, with a line under it as long as the text.
            text = "ĐẢNG CỘNG SẢN VIỆT NAM"
            width = text_width_cm(text, PARTY_TITLE, bold=True) + 0.2
            side = max(0.0, (inner_cm - width) / 2)
            p = self._para(container, left=side, right=side, reuse=reuse)
            _border(p, ["bottom"], size_eighths=6, space_pt=1)
            self._run(p, text, PARTY_TITLE, bold=True)
            return
        p = self._para(container, reuse=reuse)
        self._run(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO, bold=True)
        slogan = "Độc lập - Tự do - Hạnh phúc"
        # The line under the slogan is as long as the slogan (Annex I, II.1).
        width = text_width_cm(slogan, SLOGAN, bold=True) + 0.2
        side = max(0.0, (inner_cm - width) / 2)
        p = self._para(container, left=side, right=side)
        _border(p, ["bottom"], size_eighths=6, space_pt=1)
        self._run(p, slogan, SLOGAN, bold=True)

    def _date_line(self, p) -> None:
        place = self._plain(self.d.place)
        if self.d.date is None:  # left blank, to be filled by hand when signed
            self._run(p, f"{place or '……'}, ngày      tháng      năm       ", DATE, italic=True)
            return
        if not place:
            self._run(p, "[Địa danh]", DATE, gap=True)
            self._run(p, place_date_line("", self.d.date), DATE, italic=True)
            return
        self._run(p, place_date_line(place, self.d.date), DATE, italic=True)

    def _kind_and_title(self) -> None:
        p = self._para(self.doc, before=18, keep_next=True)
        if self._plain(self.d.kind):
            self._text(p, self.d.kind, KIND, bold=True, upper=True)
        else:
            self._run(p, "[Tên loại văn bản]", KIND, bold=True, gap=True)
        p = self._para(self.doc, keep_next=True)
        title = clean(self.d.title)
        if not title.ok:
            self._run(p, GAP_LEGACY_SHORT, TITLE, bold=True, gap=True)
            lines = [GAP_LEGACY_SHORT]
        elif not title.text:
            self._run(p, "[Chưa có trích yếu]", TITLE, bold=True, gap=True)
            lines = ["[Chưa có trích yếu]"]
        else:
            self._run(p, title.text, TITLE, bold=True)
            lines = title.text.split("\n")
        # Annex I, II.5: a line under the subject, 1/3 to 1/2 of the line above it.
        longest = max(text_width_cm(line, TITLE, bold=True) for line in lines)
        width = min(max(0.4 * min(longest, TEXT_WIDTH_CM), 2.5), 5.5)
        self._rule(self.doc, width, TEXT_WIDTH_CM, after=12)

    # --- body -------------------------------------------------------------------------------

    def _block(self, block: L.Block) -> None:
        if isinstance(block, L.Heading):
            self._heading(block)
        elif isinstance(block, L.Paragraph):
            self._paragraph(block)
        elif isinstance(block, L.Table):
            self._table(block)
        elif isinstance(block, L.Image):
            self._image(block)
        else:  # a caller's mistake: show it rather than fail the whole report
            self._gap_paragraph(f"[Khối nội dung không hỗ trợ: {type(block).__name__}]")

    def _heading(self, heading: L.Heading) -> None:
        level = heading.level if isinstance(heading.level, int) else 1
        p = self._para(self.doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6,
                       after=PARAGRAPH_AFTER_PT, line=BODY_LINE_SPACING,
                       first_indent=FIRST_LINE_INDENT_CM, keep_next=True)
        cleaned = clean(heading.text)
        if not cleaned.ok:
            self._run(p, GAP_LEGACY, BODY, bold=True, gap=True)
            return
        text = cleaned.text.replace("\n", " ")
        if not text:
            self._run(p, "[Chưa có tiêu đề mục]", BODY, bold=True, gap=True)
            return
        if level <= 1:
            self._run(p, text.upper(), BODY, bold=True)
        elif level == 2:
            self._run(p, text, BODY, bold=True)
        elif level == 3:
            self._run(p, text, BODY, bold=True, italic=True)
        else:
            self._run(p, text, BODY, italic=True)

    def _paragraph(self, para: L.Paragraph) -> None:
        cleaned = clean(para.text)
        if para.gap:
            what = cleaned.text.replace("\n", " ") if cleaned.ok else ""
            if what.startswith("[") and what.endswith("]"):
                self._gap_paragraph(what)
            else:
                self._gap_paragraph(f"[Chưa có nội dung: {what}]" if what else GAP_EMPTY)
            return
        if cleaned.problem == LEGACY:
            self._gap_paragraph(GAP_LEGACY)
            return
        if not cleaned.text:
            self._gap_paragraph(GAP_EMPTY)
            return
        for line in cleaned.text.split("\n"):
            p = self._body_paragraph()
            self._run(p, line, BODY, bold=para.bold, italic=para.italic)

    def _caption(self, text: str, *, above: bool) -> None:
        cleaned = clean(text)
        if not cleaned.text and cleaned.ok:
            return
        p = self._para(self.doc, before=6 if above else 3, after=3 if above else 6,
                       keep_next=above)
        if cleaned.ok:
            self._run(p, cleaned.text.replace("\n", " "), CAPTION, bold=above, italic=not above)
        else:
            self._run(p, GAP_LEGACY_SHORT, CAPTION, gap=True)

    def _table(self, spec: L.Table) -> None:
        headers = [str(h) if h is not None else "" for h in (spec.headers or [])]
        rows = [list(r) if isinstance(r, list | tuple) else [r] for r in (spec.rows or [])]
        ncols = len(headers) or max((len(r) for r in rows), default=0)
        self._caption(spec.caption, above=True)
        if ncols == 0:
            self._gap_paragraph("[Chưa có số liệu]")
            return
        rows = [(r + [None] * ncols)[:ncols] for r in rows]
        numeric = spec.numeric_columns
        if numeric is None:
            numeric = {
                c for c in range(ncols)
                if any(r[c] is not None for r in rows)
                and all(r[c] is None or (isinstance(r[c], int | float | Decimal)
                                         and not isinstance(r[c], bool)) for r in rows)
            }
        size = TABLE if ncols <= 7 else TABLE_WIDE
        widths = self._table_widths(spec, headers, rows, numeric, size)
        table = self.doc.add_table(rows=1 + max(len(rows), 1), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, widths)
        _cant_split(table.rows[0], header=True)
        for c in range(ncols):
            cell = table.cell(0, c)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = self._para(cell, before=2, after=2, reuse=True)
            self._text(p, headers[c] if c < len(headers) else "", size, bold=True)
        if not rows:
            merged = table.cell(1, 0).merge(table.cell(1, ncols - 1))
            p = self._para(merged, before=2, after=2, reuse=True)
            self._run(p, "[Chưa có số liệu]", size, gap=True)
        for r, row in enumerate(rows, start=1):
            bold = spec.total_row and r == len(rows)
            _cant_split(table.rows[r])
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if self._is_index_column(headers, c):
                    align = WD_ALIGN_PARAGRAPH.CENTER
                elif c in numeric:
                    align = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    align = WD_ALIGN_PARAGRAPH.LEFT
                p = self._para(cell, align=align, before=2, after=2, reuse=True)
                if isinstance(value, str) or value is None:
                    self._text(p, value or "", size, bold=bold)
                else:
                    self._run(p, format_cell(value), size, bold=bold)
        self._para(self.doc, after=0).paragraph_format.space_after = Pt(PARAGRAPH_AFTER_PT)

    @staticmethod
    def _is_index_column(headers: list[str], c: int) -> bool:
        return c < len(headers) and headers[c].strip().upper() in {"STT", "TT", "SỐ TT"}

    def _table_widths(self, spec: L.Table, headers: list[str], rows: list[list[L.Cell]],
                      numeric: set[int], size: float) -> list[float]:
        """`widths_cm` when valid (scaled down to the text width); otherwise: index columns
        1.4 cm, number columns as wide as their widest figure or header word, the text columns
        share the rest in proportion to their longest text."""
        ncols = len(headers) if headers else len(rows[0])
        if spec.widths_cm and len(spec.widths_cm) == ncols and all(
                isinstance(w, int | float) and w > 0 for w in spec.widths_cm):
            scale = min(1.0, TEXT_WIDTH_CM / sum(spec.widths_cm))
            return [w * scale for w in spec.widths_cm]
        padding = 0.5  # cell margins and a little air
        widths: dict[int, float] = {}
        for c in range(ncols):
            if self._is_index_column(headers, c):
                widths[c] = 1.4
            elif c in numeric:
                figures = [text_width_cm(format_cell(r[c]), size, bold=spec.total_row)
                           for r in rows]
                words = [text_width_cm(w, size, bold=True)
                         for w in (headers[c].split() if c < len(headers) else [])]
                widths[c] = max([1.6] + [x + padding for x in figures + words])
        text_cols = [c for c in range(ncols) if c not in widths]
        free = TEXT_WIDTH_CM - sum(widths.values())
        if text_cols and free >= 2.5 * len(text_cols):
            # Share by need: the widest text of each column (capped), at least 2 cm.
            need = {}
            for c in text_cols:
                texts = [format_cell(r[c]) for r in rows] + [headers[c] if c < len(headers) else ""]
                need[c] = min(max([2.0] + [text_width_cm(t, size) + padding for t in texts]), 9.0)
            total = sum(need.values())
            widths.update({c: free * need[c] / total for c in text_cols})
        elif text_cols:  # too many wide columns: share the width by weight
            weights = {c: (1.0 if c in numeric else 2.6) for c in range(ncols)}
            total = sum(weights.values())
            return [TEXT_WIDTH_CM * weights[c] / total for c in range(ncols)]
        scale = TEXT_WIDTH_CM / sum(widths.values())
        if not text_cols or scale < 1:
            return [widths[c] * scale for c in range(ncols)]
        return [widths[c] for c in range(ncols)]

    def _image(self, image: L.Image) -> None:
        width = image.width_cm if isinstance(image.width_cm, int | float) else 15
        width = min(max(width, 2.0), TEXT_WIDTH_CM)
        p = self._para(self.doc, before=6, after=0, keep_next=bool(image.caption))
        try:
            p.add_run().add_picture(io.BytesIO(image.data or b""), width=Cm(width))
        except Exception:  # python-docx raises several types for unreadable images
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            self._run(p, "[Không đọc được hình ảnh]", BODY, gap=True)
        self._caption(image.caption, above=False)

    # --- signatures and recipients ------------------------------------------------------------

    def _closing(self) -> None:
        # The signatures never stand alone on the last page: the last body line goes with them.
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        if self.d.is_joint:
            # One row of signatures per row of header blocks, in the same order; names aligned.
            rows = _chunks(self.d.issuers)
            column = TEXT_WIDTH_CM / max(len(r) for r in rows)
            crowded = len(rows[0]) >= MAX_PER_ROW
            size = CROWDED_SIGNATURE if crowded else SIGNATURE
            margin = CROWDED_CELL_MARGIN_CM if crowded else HEADER_CELL_MARGIN_CM
            for index, row in enumerate(rows):
                self._para(self.doc, before=6 if index == 0 else 0, keep_next=True)
                table = self._header_table(2, [column] * len(row), margin)
                for col, issuer in enumerate(row):
                    self._signature(table.cell(0, col), table.cell(1, col), issuer, size)
                self._keep_together(table)
            self._para(self.doc, before=6, keep_next=True)
            self._recipients(self.doc, reuse=False)
            return
        self._para(self.doc, keep_next=True)
        table = self._header_table(2, [7.5, TEXT_WIDTH_CM - 7.5])
        # "Nơi nhận" shares its top line with the signer's authority, as in the decree's forms.
        recipients = table.cell(0, 0).merge(table.cell(1, 0))
        self._recipients(recipients, reuse=True)
        self._signature(table.cell(0, 1), table.cell(1, 1), self.d.issuers[0], SIGNATURE)
        self._keep_together(table)

    @staticmethod
    def _keep_together(table) -> None:
        """Rows never split and stay on one page (keep-with-next on all but the last row)."""
        for i, row in enumerate(table.rows):
            _cant_split(row)
            if i < len(table.rows) - 1:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True

    def _signature(self, top, bottom, issuer: L.Issuer, size: float) -> None:
        """Authority and title (caps bold) in `top`; the space to sign and the name in `bottom`,
        so that the names of side-by-side signers line up."""
        top.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        lines = [x for x in (issuer.signer_authority, issuer.signer_title) if x and x.strip()]
        if not lines:
            p = self._para(top, reuse=True)
            self._run(p, GAP_SIGNER_TITLE, size, bold=True, gap=True)
        for i, line in enumerate(lines):
            p = self._para(top, reuse=i == 0)
            self._text(p, line, size, bold=True, upper=True)
        for i in range(SIGNATURE_SPACE_LINES):
            self._para(bottom, reuse=i == 0)
        p = self._para(bottom)
        name = clean(issuer.signer_name)
        if name.ok and name.text:
            self._run(p, name.text.replace("\n", " "), size, bold=True)
        else:
            self._run(p, GAP_SIGNER, size, bold=True, gap=True)

    def _recipients(self, container, *, reuse: bool) -> None:
        p = self._para(container, align=WD_ALIGN_PARAGRAPH.LEFT, reuse=reuse, keep_next=True)
        self._run(p, "Nơi nhận:", RECIPIENTS_HEAD, bold=True, italic=True)
        lines = []
        for raw in self.d.recipients or []:
            cleaned = clean(raw)
            text = cleaned.text.replace("\n", " ").strip() if cleaned.ok else GAP_LEGACY_SHORT
            text = text.lstrip("-–•+ ").rstrip(";.,: ").strip()
            if text:
                lines.append(text)
        archive = self._plain(self.d.archive).strip().rstrip(".;") or "VT"
        for text in lines:
            p = self._para(container, align=WD_ALIGN_PARAGRAPH.LEFT, keep_next=True)
            self._run(p, f"- {text};", RECIPIENTS, gap=text == GAP_LEGACY_SHORT)
        p = self._para(container, align=WD_ALIGN_PARAGRAPH.LEFT)
        self._run(p, f"- Lưu: {archive}.", RECIPIENTS)
