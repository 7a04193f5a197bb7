"""Shared by review-report and program-document: write .docx (and --pdf) and say where."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from phoihop.reviews import outputs


def write(command, docx: bytes, out: str, want_pdf: bool, fmt: str) -> None:
    path = Path(out)
    if path.suffix.lower() != ".docx":
        raise CommandError("Tệp ra phải có đuôi .docx (ví dụ: bao-cao.docx).")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(docx)
    except OSError as exc:
        raise CommandError(f"Không ghi được tệp {path}: {exc}") from exc
    written = {"docx": str(path)}
    if want_pdf:
        from phoihop.documents.pdf import PdfFailed, PdfUnavailable

        try:
            pdf_path = path.with_suffix(".pdf")
            pdf_path.write_bytes(outputs.to_pdf(docx))
            written["pdf"] = str(pdf_path)
        except (PdfUnavailable, PdfFailed) as exc:
            raise CommandError(str(exc)) from exc
    if fmt == "json":
        command.stdout.write(json.dumps(written, ensure_ascii=False))
    else:
        for kind, name in written.items():
            command.stdout.write(f"Đã ghi {kind.upper()}: {name}")
