"""The layering rules that keep the house livable (DESIGN.md "Layout and dependency rules")."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FORBIDDEN_IN_ENGINE = ("streamlit", "pages", "ui")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_engine_never_imports_streamlit_pages_or_ui():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & set(_FORBIDDEN_IN_ENGINE))
        for path in (ROOT / "engine").rglob("*.py")
    }
    assert {file: found for file, found in offenders.items() if found} == {}


def test_only_storage_imports_sqlalchemy():
    offenders = [
        str(path.relative_to(ROOT)) for folder in ("engine", "ui", "pages") for path in (ROOT / folder).rglob("*.py")
        if "sqlalchemy" in imported_modules(path) and "storage" not in path.relative_to(ROOT).parts
    ] + (["app.py"] if "sqlalchemy" in imported_modules(ROOT / "app.py") else [])
    assert offenders == []


def test_pages_do_not_call_st_navigation():
    calls = [p.name for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
             if re.search(r"st\.navigation\(", p.read_text(encoding="utf-8"))]
    assert calls == []


def test_every_page_file_is_in_the_translated_navigation():
    from ui.nav import PAGES

    registered = {entry.path for entry in PAGES}
    on_disk = {"app.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert registered == on_disk


def test_every_page_starts_with_the_page_frame():
    missing = [p.name for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
               if "page_frame(" not in p.read_text(encoding="utf-8")]
    assert missing == []
