"""The sample others regenerate with `python -m phoihop.documents.sample`."""

from __future__ import annotations

import docx

from phoihop.documents import sample

from .readback import texts


def test_the_sample_report_is_written_with_its_six_sections(tmp_path):
    target = tmp_path / "bao-cao.docx"
    assert sample.main([str(target)]) == 0
    doc = docx.Document(str(target))
    headings = [t for t in texts(doc) if t[:3] in {"I. ", "II.", "III", "IV.", "V. ", "VI."}]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI"]
    assert len(doc.inline_shapes) == 1
    assert "DỮ LIỆU MINH HỌA" in texts(doc)


def test_the_five_party_program_document_renders(tmp_path):
    target = tmp_path / "chuong-trinh.docx"
    assert sample.main([str(target), "--program"]) == 0
    assert "CHƯƠNG TRÌNH PHỐI HỢP" in texts(docx.Document(str(target)))
