"""PDF by LibreOffice headless: a clear message without it, a real conversion with it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from phoihop.documents import docx_writer, pdf

from .readback import document, issuers


def test_without_libreoffice_the_message_says_so(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable, match="chưa cài LibreOffice"):
        pdf.to_pdf(b"PK")


def test_a_failing_converter_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(pdf, "binary", lambda: shutil.which("false"))
    with pytest.raises(pdf.PdfFailed, match="LibreOffice báo lỗi"):
        pdf.to_pdf(b"PK")


def test_a_hanging_converter_is_stopped(monkeypatch, tmp_path):
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "binary", lambda: str(script))
    with pytest.raises(pdf.PdfFailed, match="quá 1 giây"):
        pdf.to_pdf(b"PK", timeout=1)


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_a_joint_report_to_pdf():
    data = pdf.to_pdf(docx_writer.render(document(issuers=issuers(2))))
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Bắc Ninh, ngày 09 tháng 7 năm 2019" in text
        assert "1.234.567,5" in text
