"""Rendering: a review's report and a program's document as .docx bytes (and PDF)."""

from __future__ import annotations

from phoihop.documents import docx_writer, pdf
from phoihop.programs.models import Program
from phoihop.reviews import report
from phoihop.reviews.access import DraftScope
from phoihop.reviews.models import Review


def review_docx(review: Review, drafts: DraftScope | None = None) -> bytes:
    """The report as .docx; with unapproved figures only under `drafts` (see
    `report.review_document`). The issued report is rendered without: it is public."""
    return docx_writer.render(report.review_document(review, drafts))


def program_docx(program: Program) -> bytes:
    return docx_writer.render(report.program_document(program))


def to_pdf(docx: bytes) -> bytes:
    """PDF through LibreOffice; raises pdf.PdfUnavailable with a Vietnamese message when absent."""
    return pdf.to_pdf(docx)


def filename(prefix: str, ident: str, ext: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ident)
    return f"{prefix}-{safe}.{ext}"
