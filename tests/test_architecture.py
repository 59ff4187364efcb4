"""The layout keeps its promises: the core never imports Streamlit, pages stay thin."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from impact.paths import ROOT

PACKAGE = ROOT / "impact"
UI = PACKAGE / "ui"
# Every module of the package outside the ui layer, subpackages included.
CORE = sorted(
    ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
    if UI not in p.parents and p != PACKAGE / "__init__.py"
)


def test_core_does_not_import_streamlit() -> None:
    imports = "; ".join(f"import impact.{name}" for name in CORE)
    code = f"import sys; {imports}; print('streamlit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", CORE


def _calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names.append(node.func.attr)
    return names


def test_pages_do_not_run_sql_or_open_files() -> None:
    for page in [*(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]:
        source = page.read_text(encoding="utf-8")
        for forbidden in ("duckdb", "read_csv(", "execute(", "open("):
            assert forbidden not in source, f"{page.name} uses {forbidden}: go through impact"


def test_every_module_says_why_it_exists() -> None:
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.relative_to(ROOT)} has no module docstring"


def test_sql_lives_in_query_files() -> None:
    for path in (ROOT / "impact").glob("*.py"):
        if path.stem in {"validation", "db"}:
            continue  # they build staging SQL from the data contract's column names
        source = path.read_text(encoding="utf-8").lower()
        assert "select " not in source or "from " not in source, path.name


def test_the_ui_layer_is_the_only_one_importing_streamlit_and_stays_small() -> None:
    """The ui package is split along its seams; no room of it grows back into a hall."""
    modules = sorted(UI.glob("*.py"))
    assert len(modules) > 3
    for path in modules:
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 300, f"{path.relative_to(ROOT)} has {lines} lines: split it"
    assert "curation.store" in CORE and not [m for m in CORE if m.split(".")[0] == "ui"]


def test_no_table_shows_streamlit_none_for_a_missing_value() -> None:
    """Every grid a reader sees says what a missing cell is: « – » (no figure) on the
    public pages, empty on the curator's; Streamlit's default is a grey « None », an
    English word that reads as a value."""
    missing = []
    for path in [*UI.rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"dataframe", "data_editor"}
                and not any(k.arg == "placeholder" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, missing
