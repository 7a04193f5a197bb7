"""Build test documents and read generated .docx files back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from phoihop.documents import docx_writer, sample
from phoihop.documents.layout import Document, Heading, Issuer, Paragraph, Table

# The sample's two issuers, with what the tests look at made different on purpose.
BAN_CHQS = replace(
    sample.BAN_CHQS,
    parent_name="Bộ CHQS tỉnh Bắc Ninh",  # lower case on purpose: printed in capitals
    signer_title="Phó Chỉ huy trưởng",
)
BAN_DAN_VAN = replace(
    sample.BAN_DAN_VAN, number=15, signer_authority="TM. BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ",
)


def issuers(count: int) -> list[Issuer]:
    """`count` distinct issuers: Ban CHQS first, then Ban Dân vận, then made-up boards."""
    people = [BAN_CHQS, BAN_DAN_VAN]
    for i in range(2, count):
        people.append(Issuer(
            name=f"HỘI THỨ {i + 1}", parent_name="", number=i + 1, issuer_abbr=f"H{i + 1}",
            signer_authority="TM. BAN THƯỜNG VỤ", signer_title="CHỦ TỊCH",
            signer_name=f"Người Ký Số {i + 1}",
        ))
    return people[:count]


def document(**overrides) -> Document:
    base = Document(
        issuers=[BAN_CHQS],
        kind="Báo cáo",
        title="Sơ kết 03 năm thực hiện Chương trình phối hợp",
        place="Bắc Ninh",
        date=dt.date(2019, 7, 9),
        blocks=[
            Heading("I. Đặc điểm tình hình"),
            Paragraph("Tình hình chính trị ổn định; các cơ quan phối hợp chặt chẽ."),
            Heading("1. Kết quả", level=2),
            Paragraph("Đã tổ chức 131 buổi tuyên truyền."),
            Table(headers=["STT", "Nội dung", "Số lượng"],
                  rows=[[1, "Kinh phí", 1234567.5], [2, "Buổi tuyên truyền", 131],
                        [None, "Cộng", 1234698.5]],
                  caption="Bảng 1. Kết quả", total_row=True),
        ],
        recipients=["Ban Thường vụ Thành ủy (b/c)", "- Bộ CHQS tỉnh;", "Thành viên BCĐ"],
        archive="VT, BCHQS",
    )
    return replace(base, **overrides)


def render(doc: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(docx_writer.render(doc)))


def paragraphs(doc) -> list[DocxParagraph]:
    """Every paragraph in reading order, including those in (nested) table cells."""
    out: list[DocxParagraph] = []

    def walk(parent, element):
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                out.append(DocxParagraph(child, parent))
            elif child.tag == qn("w:tbl"):
                table = DocxTable(child, parent)
                seen = set()
                for row in table.rows:
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell, cell._tc)

    walk(doc._body, doc.element.body)
    return out


def find(doc, text: str) -> DocxParagraph:
    """The paragraph whose text is exactly `text` (line breaks read as "\\n")."""
    for p in paragraphs(doc):
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r} in {[p.text for p in paragraphs(doc)]}")


def texts(doc) -> list[str]:
    return [p.text for p in paragraphs(doc)]


def runs(p: DocxParagraph):
    return [r for r in p.runs if r.text.strip()]


def sizes(p: DocxParagraph) -> set[float]:
    return {r.font.size.pt for r in runs(p)}


def all_bold(p: DocxParagraph) -> bool:
    return all(r.bold for r in runs(p))


def all_italic(p: DocxParagraph) -> bool:
    return all(r.italic for r in runs(p))


def highlighted(p: DocxParagraph) -> bool:
    return any(r.font.highlight_color is not None for r in runs(p))


def has_border(p: DocxParagraph, side: str = "bottom") -> bool:
    ppr = p._p.pPr
    if ppr is None or ppr.find(qn("w:pBdr")) is None:
        return False
    return ppr.find(qn("w:pBdr")).find(qn(f"w:{side}")) is not None


def after(doc, text: str) -> DocxParagraph:
    """The paragraph right after the one whose text is `text`."""
    everything = paragraphs(doc)
    target = find(doc, text)._p
    position = next(i for i, p in enumerate(everything) if p._p is target)
    return everything[position + 1]


def index_of(doc, text: str) -> int:
    return texts(doc).index(text)
