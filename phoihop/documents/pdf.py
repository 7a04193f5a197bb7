"""PDF from .docx by LibreOffice headless, when the server has it.

Each conversion runs `soffice` with its own throw-away profile (`-env:UserInstallation=…`), so
conversions may run side by side and never touch a user's LibreOffice settings. On a timeout the
whole process group started for the conversion is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
BINARIES = ("soffice", "libreoffice")


class PdfError(Exception):
    """A PDF could not be produced; the message is meant for the user (Vietnamese)."""


class PdfUnavailable(PdfError):
    """LibreOffice is not installed on the server."""


class PdfFailed(PdfError):
    """LibreOffice is installed but the conversion failed."""


def binary() -> str | None:
    """Path of the LibreOffice executable on PATH, or None."""
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    return None


def available() -> bool:
    return binary() is not None


def to_pdf(docx_bytes: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert a .docx (bytes) to PDF (bytes).

    Raises PdfUnavailable when LibreOffice is not installed, PdfFailed when it fails or takes
    longer than `timeout` seconds.
    """
    exe = binary()
    if exe is None:
        raise PdfUnavailable(
            "Không tạo được tệp PDF: máy chủ chưa cài LibreOffice (lệnh soffice). "
            "Hãy tải bản Word (.docx), hoặc đề nghị quản trị hệ thống cài gói "
            "libreoffice-writer (LibreOffice is not installed on the server)."
        )
    with tempfile.TemporaryDirectory(prefix="phoihop-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx_bytes)
        outdir = work / "out"
        outdir.mkdir()
        profile = (work / "profile").as_uri()
        command = [
            exe, f"-env:UserInstallation={profile}", "--headless", "--invisible",
            "--nocrashreport", "--nodefault", "--nofirststartwizard", "--nolockcheck",
            "--nologo", "--norestore", "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(outdir), str(source),
        ]
        env = {**os.environ, "HOME": tmp}
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=tmp, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PdfFailed(
                f"Không tạo được tệp PDF: LibreOffice chạy quá {int(timeout)} giây và đã bị "
                "dừng. Hãy thử lại hoặc tải bản Word (.docx)."
            ) from None
        result = outdir / "document.pdf"
        data = result.read_bytes() if result.exists() else b""
        if proc.returncode != 0 or not data.startswith(b"%PDF"):
            detail = (err or out or b"").decode("utf-8", "replace").strip()[-500:]
            raise PdfFailed(
                f"Không tạo được tệp PDF: LibreOffice báo lỗi (mã {proc.returncode}). "
                "Hãy tải bản Word (.docx)." + (f" Chi tiết: {detail}" if detail else "")
            )
        return data


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()
