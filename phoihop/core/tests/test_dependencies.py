"""The runtime dependencies in pyproject.toml are exactly what phoihop/ imports outside its tests.

A package imported only by tests (or phoihop/factories.py, or bench/) belongs to an extra; a
package declared but imported nowhere (as `lunar-vn` was) is dropped. Three are declared without
being imported by name, for the reasons given in pyproject.toml.
"""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import phoihop

PACKAGE = Path(phoihop.__file__).resolve().parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"
# Declared but not imported by name: a middleware path in settings, the production server,
# and the parser openpyxl switches to whenever it is installed.
NOT_IMPORTED = {"whitenoise", "gunicorn", "defusedxml"}
# Top-level packages of this repository that are not distributions.
LOCAL = {"phoihop", "bench"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _canonical(re.match(r"[A-Za-z0-9._-]+", spec).group(0))


def _is_test_module(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return ("tests" in parts or path.name.startswith("test_") or path.name == "conftest.py"
            or path.name == "factories.py")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _distributions(modules: set[str]) -> tuple[set[str], set[str]]:
    """(distributions providing these modules, modules provided by no installed distribution)."""
    providers = importlib.metadata.packages_distributions()
    found, unknown = set(), set()
    for module in modules - set(sys.stdlib_module_names) - LOCAL:
        if module in providers:
            found.update(_canonical(d) for d in providers[module])
        else:
            unknown.add(module)
    return found, unknown


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def _modules(test: bool) -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if _is_test_module(path) == test:
            names |= _imports(path)
    return names


def test_runtime_dependencies_are_what_the_code_imports():
    declared = {_requirement_name(spec) for spec in _project()["dependencies"]}
    imported, unknown = _distributions(_modules(test=False))
    assert not unknown, f"imported by phoihop/ but installed by no distribution: {sorted(unknown)}"
    assert not imported - declared, f"imported at run time but not declared: {sorted(imported - declared)}"
    unused = declared - imported - NOT_IMPORTED
    assert not unused, f"declared but imported nowhere in phoihop/ (move to an extra or drop): {sorted(unused)}"
    assert "lunar-vn" not in declared  # the almanac computes the lunar calendar itself (docs/almanac.md)


def test_test_only_imports_are_in_the_test_extra():
    project = _project()
    allowed = {_requirement_name(spec) for spec in project["dependencies"]}
    allowed |= {_requirement_name(spec) for spec in project["optional-dependencies"]["test"]}
    imported, unknown = _distributions(_modules(test=True))
    assert not unknown, f"imported by tests but installed by no distribution: {sorted(unknown)}"
    assert not imported - allowed, f"imported by tests, missing from the test extra: {sorted(imported - allowed)}"


def test_the_check_sees_what_it_should():
    """The scan is not vacuous: it finds the known runtime and test-only imports."""
    runtime, _ = _distributions(_modules(test=False))
    tests, _ = _distributions(_modules(test=True))
    assert {"django", "django-ninja", "openpyxl", "python-docx", "pillow", "django-axes"} <= runtime
    assert "factory-boy" in tests and "factory-boy" not in runtime
