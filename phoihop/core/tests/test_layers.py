"""The layers of docs/adr/0007-layers.md hold: `lint-imports` keeps every contract of
.importlinter (also run by `make test`), and it breaks them when application code crosses a
layer, imports the API package or the demo, or closes a cycle, while a test may import anything.

The failing cases run the linter on a copy of phoihop's Python files with one module added.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import phoihop

PACKAGE = Path(phoihop.__file__).resolve().parent
ROOT = PACKAGE.parent
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """phoihop's Python files and the contracts, in a directory of their own."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(PACKAGE, root / "phoihop",
                    ignore=lambda folder, names: [n for n in names
                                                  if not (n.endswith(".py") or (Path(folder) / n).is_dir())
                                                  or n == "__pycache__"])
    shutil.copy(CONFIG, root / ".importlinter")
    return root


def _with_module(copy: Path, relative: str, source: str):
    path = copy / "phoihop" / relative
    path.write_text(source, encoding="utf-8")
    try:
        return _lint(copy, copy / ".importlinter")
    finally:
        path.unlink()


def test_the_source_keeps_every_contract():
    result = _lint(ROOT, CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_copy_keeps_every_contract_before_anything_is_added(copy):
    result = _lint(copy, copy / ".importlinter")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("relative", "source", "broken"), [
    ("core/sneak.py", "from phoihop.programs import models\n", "phoihop.core is not allowed to import phoihop.programs"),
    ("audit/sneak.py", "import phoihop.accounts.permissions\n", "phoihop.audit is not allowed to import phoihop.accounts"),
    ("programs/sneak.py", "from phoihop.reporting import models\n", "phoihop.programs is not allowed to import phoihop.reporting"),
    ("news/sneak.py", "from phoihop.dashboards import views\n", "phoihop.news is not allowed to import phoihop.dashboards"),
    ("reporting/sneak.py", "from phoihop.api import urls\n", "phoihop.reporting is not allowed to import phoihop.api"),
    ("dashboards/sneak.py", "from phoihop.demo import users\n", "phoihop.dashboards is not allowed to import phoihop.demo"),
    ("home/sneak.py", "def later():\n    from phoihop.demo import users\n", "phoihop.home is not allowed to import phoihop.demo"),
])
def test_application_code_that_crosses_a_layer_breaks_the_contracts(copy, relative, source, broken):
    result = _with_module(copy, relative, source)
    assert result.returncode != 0
    assert broken in result.stdout, result.stdout


def test_a_cycle_between_two_modules_of_one_app_breaks_the_contracts(copy):
    (copy / "phoihop" / "core" / "sneak_a.py").write_text("from phoihop.core import sneak_b\n", encoding="utf-8")
    try:
        result = _with_module(copy, "core/sneak_b.py", "def later():\n    from phoihop.core import sneak_a\n")
    finally:
        (copy / "phoihop" / "core" / "sneak_a.py").unlink()
    assert result.returncode != 0
    assert "No cycles are allowed in phoihop.core" in result.stdout, result.stdout


def test_a_test_may_import_anything(copy):
    result = _with_module(copy, "core/tests/test_sneak.py",
                          "from phoihop.api import urls\nfrom phoihop.demo import users\nfrom phoihop.programs import models\n")
    assert result.returncode == 0, result.stdout


def test_every_package_of_phoihop_has_its_layer():
    """A new app left out of .importlinter would escape the layers: each is named there."""
    layers = CONFIG.read_text(encoding="utf-8").split("[importlinter:contract:layers]")[1].split("[")[0]
    named = {word.strip("()") for word in layers.split() if word.strip("()").startswith("phoihop.")}
    packages = {f"phoihop.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    # Tests, and Django's format definitions (data imported by nothing of phoihop).
    assert packages - named == {"phoihop.hardening", "phoihop.formats"}
