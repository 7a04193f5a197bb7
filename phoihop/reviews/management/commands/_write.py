"""Shared by review-report and program-document: write .docx (and --pdf) and say where."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from phoihop.reviews import outputs


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, sync, then rename over it: a process killed half-way leaves the
    previous file (or none), never a truncated document."""
    import os
    import tempfile

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_output_arguments(parser) -> None:
    """-o/--output, --pdf and --format, the same for every document command."""
    parser.add_argument("-o", "--output", required=True, help="Tệp .docx cần ghi")
    parser.add_argument("--pdf", action="store_true", help="Ghi thêm bản PDF (cần LibreOffice)")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def write(command, docx: bytes, out: str, want_pdf: bool, fmt: str) -> None:
    path = Path(out)
    if path.suffix.lower() != ".docx":
        raise CommandError("Tệp ra phải có đuôi .docx (ví dụ: bao-cao.docx).")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, docx)
    except OSError as exc:
        raise CommandError(f"Không ghi được tệp {path}: {exc}") from exc
    written = {"docx": str(path)}
    if want_pdf:
        from phoihop.documents.pdf import PdfFailed, PdfUnavailable

        try:
            pdf_path = path.with_suffix(".pdf")
            _write_atomically(pdf_path, outputs.to_pdf(docx))
            written["pdf"] = str(pdf_path)
        except (PdfUnavailable, PdfFailed) as exc:
            raise CommandError(str(exc)) from exc
    if fmt == "json":
        command.stdout.write(json.dumps(written, ensure_ascii=False))
    else:
        for kind, name in written.items():
            command.stdout.write(f"Đã ghi {kind.upper()}: {name}")
