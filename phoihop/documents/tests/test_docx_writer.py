"""The .docx read back with python-docx: Decree 30/2020/NĐ-CP, Annex I, and HD 36-HD/VPTW."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from phoihop.documents import charts, docx_writer
from phoihop.documents.layout import Document, Heading, Image, Issuer, Paragraph, Table

from .readback import (
    BAN_CHQS,
    BAN_DAN_VAN,
    after,
    all_bold,
    all_italic,
    document,
    find,
    has_border,
    highlighted,
    index_of,
    issuers,
    paragraphs,
    render,
    runs,
    sizes,
    texts,
)


@cache
def state_doc():
    return render(document())


@cache
def joint_doc(count: int):
    return render(document(issuers=issuers(count)))


@cache
def party_doc():
    return render(document(issuers=[BAN_DAN_VAN]))


def between(low: float, value: float, high: float) -> bool:
    return low - 0.01 <= value <= high + 0.01


# --- page and fonts ---------------------------------------------------------------------------


def test_the_page_is_a4_portrait_with_margins_within_the_decree_ranges():
    section = state_doc().sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width.mm - 210) < 0.5
    assert abs(section.page_height.mm - 297) < 0.5
    assert between(20, section.top_margin.mm, 25)
    assert between(20, section.bottom_margin.mm, 25)
    assert between(30, section.left_margin.mm, 35)
    assert between(15, section.right_margin.mm, 20)


def test_the_normal_font_is_times_new_roman_in_every_script_slot():
    doc = state_doc()
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:asciiTheme")) is None  # a theme font would win over TNR
    assert default_fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_no_run_names_another_font():
    body = state_doc().element.body
    named = {el.get(qn("w:ascii")) for el in body.iter(qn("w:rFonts"))}
    assert named <= {None, "Times New Roman"}


# --- header blocks ----------------------------------------------------------------------------


def test_the_national_motto_is_bold_caps_and_the_slogan_bold_and_ruled():
    doc = state_doc()
    motto = find(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert all_bold(motto) and sizes(motto) <= {12, 13}
    slogan = find(doc, "Độc lập - Tự do - Hạnh phúc")
    assert all_bold(slogan) and sizes(slogan) <= {13, 14}
    assert has_border(slogan, "bottom")
    assert slogan.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_the_motto_sits_right_of_the_issuer_block_in_one_borderless_table():
    doc = state_doc()
    header = doc.tables[0]
    left = "\n".join(p.text for p in header.cell(0, 0).paragraphs)
    right = "\n".join(p.text for p in header.cell(0, 1).paragraphs)
    assert "BAN CHỈ HUY QUÂN SỰ" in left and "CỘNG HÒA" in right
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    widths = [cell.width.cm for cell in header.rows[0].cells]
    assert 0.35 < widths[0] / sum(widths) < 0.45


def test_the_issuer_block_has_the_parent_in_caps_and_the_issuer_in_bold_caps_over_a_rule():
    doc = state_doc()
    parent = find(doc, "BỘ CHQS TỈNH BẮC NINH")
    assert not any(r.bold for r in runs(parent)) and sizes(parent) <= {12, 13}
    name = find(doc, "BAN CHỈ HUY QUÂN SỰ\nTHÀNH PHỐ BẮC NINH")
    assert all_bold(name) and sizes(name) <= {12, 13}
    rule = after(doc, name.text)
    assert rule.text == "" and has_border(rule, "bottom")
    assert rule.paragraph_format.left_indent.cm > 0.5  # a short line, not the full column


@pytest.mark.parametrize("number, expected", [
    (15, "Số: 15/BC-BCHQS"),
    (5, "Số: 05/BC-BCHQS"),
    ("7", "Số: 07/BC-BCHQS"),
    (123, "Số: 123/BC-BCHQS"),
])
def test_the_number_has_a_leading_zero_below_ten(number, expected):
    assert Issuer(name="X", number=number, issuer_abbr="BCHQS").number_text() == expected
    if number == 5:
        doc = render(document(issuers=[replace(BAN_CHQS, number=5)]))
        assert expected in texts(doc)
    else:
        assert expected != "Số: 15/BC-BCHQS" or expected in texts(state_doc())


def test_a_missing_number_leaves_a_blank_to_fill_by_hand():
    doc = render(document(issuers=[replace(BAN_CHQS, number=None)]))
    line = next(t for t in texts(doc) if t.startswith("Số:"))
    assert re.fullmatch(r"Số: {4,}/BC-BCHQS", line)


def test_a_party_issuer_gets_the_party_layout():
    doc = party_doc()
    title = find(doc, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert all_bold(title) and has_border(title, "bottom")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts(doc)
    assert "Số 15-BC/BDVTU" in texts(doc)
    assert not any(t.startswith("Số:") for t in texts(doc))
    parent = find(doc, "THÀNH ỦY BẮC NINH")
    assert not any(r.bold for r in runs(parent))
    name = find(doc, "BAN DÂN VẬN")
    assert all_bold(name)
    assert texts(doc)[index_of(doc, "BAN DÂN VẬN") + 1] == "*"
    header = doc.tables[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in [p.text for p in header.cell(0, 1).paragraphs]


@pytest.mark.parametrize("date, expected", [
    (dt.date(2019, 7, 9), "Bắc Ninh, ngày 09 tháng 7 năm 2019"),
    (dt.date(2020, 1, 15), "Bắc Ninh, ngày 15 tháng 01 năm 2020"),
    (dt.date(2024, 2, 5), "Bắc Ninh, ngày 05 tháng 02 năm 2024"),
    (dt.date(2023, 12, 31), "Bắc Ninh, ngày 31 tháng 12 năm 2023"),
])
def test_the_date_line_is_italic_with_the_decree_leading_zeros(date, expected):
    doc = state_doc() if date == dt.date(2019, 7, 9) else render(document(date=date))
    line = find(doc, expected)
    assert all_italic(line) and sizes(line) <= {13, 14}
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_a_missing_date_leaves_blanks_to_fill_by_hand():
    doc = render(document(date=None))
    line = next(t for t in texts(doc) if t.startswith("Bắc Ninh, ngày"))
    assert re.fullmatch(r"Bắc Ninh, ngày +tháng +năm +", line)


def test_kind_and_title_are_bold_centred_with_a_rule_under_the_title():
    doc = state_doc()
    kind = find(doc, "BÁO CÁO")
    assert all_bold(kind) and sizes(kind) <= {13, 14}
    title = find(doc, "Sơ kết 03 năm thực hiện Chương trình phối hợp")
    assert all_bold(title) and sizes(title) <= {13, 14}
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = after(doc, title.text)
    assert has_border(rule, "bottom")


def test_the_draft_mark_is_a_small_bordered_line_at_the_top():
    doc = render(document(draft_watermark="Dự thảo"))
    first = paragraphs(doc)[0]
    assert first.text == "DỰ THẢO"
    assert all(has_border(first, side) for side in ("top", "left", "bottom", "right"))
    assert first.paragraph_format.left_indent.cm > 4


# --- body ---------------------------------------------------------------------------------------


def test_body_paragraphs_are_justified_indented_and_spaced():
    p = find(state_doc(), "Tình hình chính trị ổn định; các cơ quan phối hợp chặt chẽ.")
    fmt = p.paragraph_format
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert between(1.0, fmt.first_line_indent.cm, 1.27)
    assert fmt.space_after.pt >= 6
    assert sizes(p) <= {13, 14}


def test_headings_are_bold_and_level_one_is_in_capitals():
    doc = state_doc()
    assert all_bold(find(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH"))
    level2 = find(doc, "1. Kết quả")
    assert all_bold(level2) and not all_italic(level2)
    doc3 = render(document(blocks=[Heading("a) Ý nghĩa", level=3)]))
    level3 = find(doc3, "a) Ý nghĩa")
    assert all_bold(level3) and all_italic(level3)


def test_a_newline_in_a_narrative_starts_a_new_paragraph():
    doc = render(document(blocks=[Paragraph("Đoạn một.\r\n\r\nĐoạn hai.")]))
    assert find(doc, "Đoạn một.").alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert find(doc, "Đoạn hai.").paragraph_format.first_line_indent is not None


def test_tables_have_bold_headers_and_right_aligned_vietnamese_numbers():
    doc = state_doc()
    table = doc.tables[1]
    assert table.style.name == "Table Grid"
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Nội dung", "Số lượng"]
    assert all(all_bold(c.paragraphs[0]) for c in table.rows[0].cells)
    number = table.cell(1, 2).paragraphs[0]
    assert number.text == "1.234.567,5"
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert sizes(number) <= {11, 12}
    assert table.cell(1, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert table.cell(1, 0).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    caption = find(doc, "Bảng 1. Kết quả")
    assert all_bold(caption) and caption.paragraph_format.keep_with_next


def test_the_total_row_is_bold_and_none_cells_are_empty():
    table = state_doc().tables[1]
    total = table.rows[3]
    assert [c.text for c in total.cells] == ["", "Cộng", "1.234.698,5"]
    assert all(all_bold(c.paragraphs[0]) for c in total.cells if c.text)
    assert not any(r.bold for r in runs(table.cell(1, 2).paragraphs[0]))


def test_given_numeric_columns_and_widths_are_used():
    spec = Table(headers=["Đơn vị", "Tỷ lệ"], rows=[["Phường A", Decimal("95.50")], ["B", "—"]],
                 numeric_columns={1}, widths_cm=[10, 4])
    table = render(document(blocks=[spec])).tables[1]
    assert table.cell(1, 1).text == "95,5"  # number_vi drops trailing zeros
    assert table.cell(2, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [round(c.width.cm, 1) for c in table.rows[0].cells] == [10.0, 4.0]


def test_a_chart_is_embedded_as_a_png():
    png = charts.bar_chart(["Năm 2019", "Năm 2020"], {"Buổi": [42, 38]}, "Tuyên truyền", "buổi")
    doc = render(document(blocks=[Image(png, width_cm=15, caption="Biểu đồ 1. Tuyên truyền")]))
    assert len(doc.inline_shapes) == 1
    assert abs(doc.inline_shapes[0].width.cm - 15) < 0.05
    images = [rel.target_part for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert images and images[0].content_type == "image/png"
    caption = find(doc, "Biểu đồ 1. Tuyên truyền")
    assert all_italic(caption) and caption.alignment == WD_ALIGN_PARAGRAPH.CENTER


# --- signatures, recipients, page numbers -----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_every_issuer_signs_with_authority_title_and_name_in_bold(count):
    doc = joint_doc(count) if count > 1 else state_doc()
    for issuer in issuers(count):
        authority = find(doc, issuer.signer_authority.upper())
        title = find(doc, issuer.signer_title.upper())
        name = find(doc, issuer.signer_name)
        for p in (authority, title, name):
            assert all_bold(p) and sizes(p) <= {13, 14}
            assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert index_of(doc, issuer.signer_title.upper()) < index_of(doc, issuer.signer_name)


@pytest.mark.parametrize("count, per_row", [(2, [2]), (3, [3]), (5, [3, 2])])
def test_joint_documents_put_blocks_and_signatures_side_by_side(count, per_row):
    doc = joint_doc(count)
    tables = doc.tables
    header_rows = tables[:len(per_row)]
    assert [len(t.columns) for t in header_rows] == per_row
    names = [i.name.upper() for i in issuers(count)]
    cells = [p.text for t in header_rows for c in t.rows[0].cells for p in c.paragraphs]
    assert all(name in cells for name in names)
    numbers = [c.text for t in header_rows for c in t.rows[1].cells]
    assert numbers[:2] == ["Số: 15/BC-BCHQS", "Số 15-BC/BDVTU"]
    signature_rows = tables[-len(per_row):]
    assert [len(t.columns) for t in signature_rows] == per_row
    # names on the last line of the same row, so they line up
    for table in signature_rows:
        last = [c.paragraphs[-1].text for c in table.rows[1].cells]
        assert all(last)
    # one motto, centred above the blocks
    assert texts(doc).count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1
    assert index_of(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < index_of(doc, names[0])


def test_a_joint_document_led_by_a_party_body_carries_the_party_title():
    doc = render(document(issuers=[BAN_DAN_VAN, BAN_CHQS]))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts(doc)
    forced = render(document(issuers=[BAN_DAN_VAN, BAN_CHQS], motto="state"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts(forced)


def test_a_blank_signer_name_leaves_a_visible_placeholder():
    doc = render(document(issuers=[replace(BAN_CHQS, signer_name="")]))
    placeholder = find(doc, docx_writer.GAP_SIGNER)
    assert highlighted(placeholder)


@pytest.mark.parametrize("count", [1, 3])
def test_recipients_are_listed_under_noi_nhan_and_end_with_the_archive(count):
    doc = state_doc() if count == 1 else joint_doc(3)
    head = find(doc, "Nơi nhận:")
    assert all_bold(head) and all_italic(head) and sizes(head) == {12}
    start = index_of(doc, "Nơi nhận:")
    lines = texts(doc)[start + 1:start + 5]
    assert lines == ["- Ban Thường vụ Thành ủy (b/c);", "- Bộ CHQS tỉnh;", "- Thành viên BCĐ;",
                     "- Lưu: VT, BCHQS."]
    for text in lines:
        p = find(doc, text)
        assert sizes(p) == {11} and not all_bold(p) and not all_italic(p)


def test_the_single_issuer_puts_recipients_left_and_the_signature_right():
    table = state_doc().tables[-1]
    left = [p.text for p in table.cell(0, 0).paragraphs]
    right = [p.text for p in table.cell(0, 1).paragraphs]
    assert left[0] == "Nơi nhận:" and right[0] == "KT. CHỈ HUY TRƯỞNG"


def test_page_numbers_are_centred_in_the_header_from_page_two():
    section = state_doc().sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.find(qn("w:titlePg")) is not None
    header_xml = section.header._element.xml
    assert "PAGE" in "".join(el.text for el in section.header._element.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert all(p.text == "" for p in first.paragraphs)
    assert not list(first._element.iter(qn("w:fldChar")))


# --- bad input ----------------------------------------------------------------------------------


def test_empty_and_flagged_narratives_become_visible_highlighted_gaps():
    doc = render(document(blocks=[
        Paragraph(""),
        Paragraph("   \n\u200b "),
        Paragraph("kết quả tuyên truyền năm 2021", gap=True),
        Paragraph(None),  # type: ignore[arg-type]
    ]))
    gaps = [p for p in paragraphs(doc) if p.text.startswith("[Chưa có nội dung")]
    assert [p.text for p in gaps] == [
        "[Chưa có nội dung]", "[Chưa có nội dung]",
        "[Chưa có nội dung: kết quả tuyên truyền năm 2021]", "[Chưa có nội dung]",
    ]
    assert all(highlighted(p) for p in gaps)


def test_legacy_tcvn3_and_vni_text_is_marked_not_printed():
    tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §¶ng bé thµnh phè"
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    doc = render(document(title=tcvn3, blocks=[Paragraph(tcvn3), Paragraph(vni)],
                          recipients=[vni]))
    all_text = "\n".join(texts(doc))
    assert "héi" not in all_text and "Coäng" not in all_text
    marked = [p for p in paragraphs(doc) if p.text == docx_writer.GAP_LEGACY]
    assert len(marked) == 2 and all(highlighted(p) for p in marked)
    assert docx_writer.GAP_LEGACY_SHORT in all_text  # the title and the recipient


def test_pasted_word_html_keeps_only_the_words():
    pasted = (
        '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument>'
        '</xml><![endif]--><style>p.MsoNormal {margin:0cm; font-family:"Times New Roman"}'
        '</style><p class=MsoNormal style="text-align:justify"><b><span lang=VI>Kết quả'
        '</span></b>&nbsp;tốt&nbsp;đẹp<o:p></o:p></p><p class=MsoNormal>Đoạn hai &amp; ba</p>'
    )
    doc = render(document(blocks=[Paragraph(pasted)]))
    assert "Kết quả tốt đẹp" in texts(doc)
    assert "Đoạn hai & ba" in texts(doc)
    assert not any("<" in t or "mso" in t.lower() for t in texts(doc))


def test_hostile_input_does_not_crash():
    bad = "A\x00B\x07C\x0bD\ufeffE\u200bF\ud800G\uffff"
    doc = render(Document(
        issuers=[Issuer(name=bad, parent_name=None, number="  ", signer_title=None,  # type: ignore[arg-type]
                        signer_name=None)],  # type: ignore[arg-type]
        kind=None,  # type: ignore[arg-type]
        title=bad,
        place="",
        date=dt.date(2019, 7, 9),
        blocks=[
            Heading(bad, level=7),
            Heading("", level=1),
            Paragraph(bad),
            Table(headers=[], rows=[]),
            Table(headers=["A", "B"], rows=[], caption="Trống"),
            Table(headers=["A"], rows=[[1, 2, 3], [], [float("nan")], [Decimal("NaN")]]),
            Image(b"not an image", caption="Hỏng"),
            "a stray string",  # type: ignore[list-item]
        ],
        recipients=[None, "", bad],  # type: ignore[list-item]
        archive="",
    ))
    all_text = "\n".join(texts(doc))
    assert "[Không đọc được hình ảnh]" in all_text
    assert "[Chưa có số liệu]" in all_text
    assert "- Lưu: VT." in all_text
    assert "\x00" not in all_text and "\ufeff" not in all_text


def test_a_document_needs_an_issuer():
    with pytest.raises(ValueError, match="issuer"):
        docx_writer.render(document(issuers=[]))


def test_properties_follow_the_schema_order_word_insists_on():
    from phoihop.documents.docx_writer import _RANKS

    doc = joint_doc(5)
    roots = [doc.element, doc.styles.element, doc.sections[0].header._element]
    for root in roots:
        for parent_tag, ranks in _RANKS.items():
            for parent in root.iter(parent_tag):
                order = [ranks.get(child.tag, -1) for child in parent]
                assert -1 not in order, [child.tag for child in parent]
                assert order == sorted(order), [child.tag for child in parent]
    for tbl_pr in doc.element.iter(qn("w:tblPr")):
        assert len(tbl_pr.findall(qn("w:tblLayout"))) <= 1
