"""Slow a subprocess down at a chosen point so a crash test can SIGKILL it there.

Production code has no hooks: test_crash_safety.py puts a `sitecustomize.py` on PYTHONPATH that
wraps `django.setup()` and then calls `install(os.environ["PHOIHOP_CRASH_HOOK"])`. Each hook
touches PHOIHOP_CRASH_MARKER when the point is reached (the test waits for that file) and then
sleeps, so the kill lands exactly there:

- `datavalue-save`: inside the import's transaction, right after the first values are written;
- `approval-recorded`: inside the approval's transaction, after the status is updated and its
  audit entry written, before commit;
- `docx-write`: half-way through writing a .docx file (a slow disk);
- `before-issue-report`: in the review page, after the status moved to "issued" and before the
  issued report is stored.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SITECUSTOMIZE = '''
import os

if os.environ.get("PHOIHOP_CRASH_HOOK"):
    import django

    _setup = django.setup

    def setup(*args, **kwargs):
        _setup(*args, **kwargs)
        from phoihop.hardening import crash_hooks

        crash_hooks.install(os.environ["PHOIHOP_CRASH_HOOK"])

    django.setup = setup
'''

PAUSE = 120  # seconds; the test kills the process long before


def _reached() -> None:
    Path(os.environ["PHOIHOP_CRASH_MARKER"]).write_text(str(os.getpid()))
    time.sleep(PAUSE)


def install(name: str) -> None:
    {
        "datavalue-save": _datavalue_save,
        "approval-recorded": _approval_recorded,
        "docx-write": _docx_write,
        "before-issue-report": _before_issue_report,
    }[name]()


def _datavalue_save() -> None:
    from phoihop.reporting import bulk
    from phoihop.reporting.models import DataValue

    original = DataValue.save

    def save(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _reached()

    DataValue.save = save
    # Saving values goes through bulk.save_batches, which writes them with one INSERT (or UPDATE)
    # statement per many rows, never save().
    for name in ("insert_rows", "update_rows"):
        _after_values_written(bulk, name)


def _after_values_written(module, name: str) -> None:
    from phoihop.reporting.models import DataValue

    original = getattr(module, name)

    def written(model, field_names, rows, **kwargs):
        result = original(model, field_names, rows, **kwargs)
        if model is DataValue and rows:
            _reached()
        return result

    setattr(module, name, written)


def _approval_recorded() -> None:
    from phoihop.audit import workflow

    original = workflow.record_transition

    def record_transition(instance, field, before, after, note=""):
        original(instance, field, before, after, note)
        if after == "approved":
            _reached()

    workflow.record_transition = record_transition


def _docx_write() -> None:
    """Any file opened for writing under PHOIHOP_CRASH_DIR (the report's folder, whatever name
    or temporary file the writer uses) writes half of its first chunk, syncs it, then stops."""
    import builtins
    import io

    folder = Path(os.environ["PHOIHOP_CRASH_DIR"]).resolve()
    original = io.open

    def where(file) -> Path | None:
        try:
            if isinstance(file, int):
                return Path(os.readlink(f"/proc/self/fd/{file}"))
            return Path(os.fspath(file)).resolve()
        except (OSError, TypeError):
            return None

    class SlowWriter:
        def __init__(self, handle):
            self._handle = handle

        def write(self, data):
            half = len(data) // 2
            self._handle.write(data[:half])
            self._handle.flush()
            os.fsync(self._handle.fileno())
            _reached()
            return self._handle.write(data[half:]) + half

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._handle.__exit__(*exc)

    def slow_open(file, mode="r", *args, **kwargs):
        handle = original(file, mode, *args, **kwargs)
        path = where(file)
        if any(c in mode for c in "wxa") and path is not None and folder in path.parents:
            return SlowWriter(handle)
        return handle

    io.open = slow_open
    builtins.open = slow_open


def _before_issue_report() -> None:
    from phoihop.reviews import services

    original = services.issue_report

    def issue_report(review, docx):
        _reached()
        return original(review, docx)

    services.issue_report = issue_report
