"""The wheel holds one top-level package, `parley`, with its data files, and the `parley` console script.

Built offline from a copy of the source tree (an in-tree build would write build/ into the working tree
that other test runs read), with the venv's own setuptools.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".git", "build", "dist", "out", ".hypothesis", ".pytest_cache", "__pycache__"}


def _missing_build_tools() -> str | None:
    """What the build backend needs that this environment lacks (building offline cannot fetch it)."""
    if importlib.util.find_spec("pip") is None:
        return "pip is not installed"
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed"
    # the installed version, read without importing setuptools (that would clash with distutils already loaded)
    text = importlib.metadata.version("setuptools")
    version = tuple(int(x) for x in text.split(".")[:2] if x.isdigit())
    if version < (68, 0):
        return f"setuptools {text} is older than the >=68 pyproject.toml asks for"
    # setuptools ships bdist_wheel itself from 70.1; before that it comes from the `wheel` package
    if version < (70, 1) and importlib.util.find_spec("wheel") is None:
        return f"setuptools {text} needs the 'wheel' package for bdist_wheel"
    return None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    missing = _missing_build_tools()
    if missing:
        pytest.skip(f"cannot build the wheel offline: {missing} (add it to the 'test' extra to run this test)")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=lambda folder, names: [
        n for n in names if n in SKIP_DIRS or n.endswith(".egg-info")])
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(tmp / "dist"), str(src)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp / "dist").glob("parley_kg-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


def names(wheel) -> list[str]:
    return wheel.namelist()


def test_one_top_level_package_and_its_dist_info(wheel):
    from parley import __version__

    tops = {name.split("/")[0] for name in names(wheel)}
    assert tops == {"parley", f"parley_kg-{__version__}.dist-info"}


def test_modules_but_no_tests_or_benchmarks(wheel):
    files = set(names(wheel))
    for module in ("__init__.py", "cli.py", "events/model.py", "events/read.py", "events/outcomes.py",
                   "graph/build.py", "graph/export.py", "graph/store.py", "graph/query.py",
                   "ontology/namespace.py"):
        assert f"parley/{module}" in files, module
    assert not any(n.startswith(("parley/tests/", "parley/bench/")) for n in files)
    assert not any(n.endswith(("Makefile", "pyproject.toml")) for n in files)


@pytest.mark.parametrize("pattern", ["ontology/*.ttl", "graph/queries/*.rq", "events/data/*/*.yaml"])
def test_package_data_is_in_the_wheel(wheel, pattern):
    expected = {f"parley/{p.relative_to(ROOT).as_posix()}" for p in ROOT.glob(pattern)}
    if pattern.startswith("ontology"):
        assert {"parley/ontology/parley.ttl", "parley/ontology/shapes.ttl"} <= expected
    if not expected:
        pytest.skip(f"no {pattern} files in the source tree yet")
    assert expected <= set(names(wheel))


def test_console_script_and_metadata(wheel):
    from parley import __version__

    info = f"parley_kg-{__version__}.dist-info"
    entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert "[console_scripts]" in entry_points
    assert "parley = parley.cli:main" in entry_points
    metadata = wheel.read(f"{info}/METADATA").decode()
    assert "Name: parley-kg" in metadata
    assert "Requires-Python: >=3.11" in metadata
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    for dep in ("rdflib>=7.6", "oxrdflib", "pyoxigraph", "pyshacl", "networkx", "click", "PyYAML"):
        assert any(r.replace(" ", "").startswith(dep) for r in requires), dep
