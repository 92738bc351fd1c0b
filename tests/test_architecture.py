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


# --- the engine's packages and what each may import ------------------------------------------------

#: The shared kernel: plain modules at the top of engine/.
_KERNEL = {"scenario", "errors", "i18n", "examples", "payers", "numbers"}

#: For each part of engine/, the other parts it may import (the kernel counts as one part).
_MAY_IMPORT = {
    "kernel": {"kernel"},
    "access": {"kernel"},
    "output": {"kernel"},
    "savings": {"kernel", "output"},
    "instruments": {"kernel", "output", "savings"},
    "questionnaire": {"kernel", "output"},
    "targets": {"kernel", "output"},
    "workshop": {"kernel", "output", "questionnaire", "savings"},
    "storage": {"kernel", "questionnaire", "targets", "workshop"},
    "memo": {"kernel", "output", "savings", "instruments", "questionnaire", "targets"},
    "cli": {"kernel", "savings", "instruments", "questionnaire", "targets", "memo"},
}


def _part(module: str) -> str | None:
    """The part of engine/ a dotted module name belongs to (None outside engine)."""
    pieces = module.split(".")
    if pieces[0] != "engine" or len(pieces) < 2:
        return None
    return "kernel" if pieces[1] in _KERNEL else pieces[1]


def _engine_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every absolute import of an engine module in a file, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return [(module, names) for module, names in found if _part(module) is not None]


def _engine_files():
    for path in sorted((ROOT / "engine").rglob("*.py")):
        if "migrations" in path.parts or (path.parent == ROOT / "engine" and path.name in ("__init__.py", "__main__.py")):
            continue
        yield path, _part(".".join(path.relative_to(ROOT).with_suffix("").parts))


def test_every_engine_module_belongs_to_a_known_part():
    unknown = {str(p.relative_to(ROOT)) for p, part in _engine_files() if part not in _MAY_IMPORT}
    assert unknown == set()


def test_each_part_of_the_engine_imports_only_what_it_may():
    offenders = {}
    for path, part in _engine_files():
        wrong = sorted({module for module, _ in _engine_imports(path)
                        if _part(module) != part and _part(module) not in _MAY_IMPORT[part]})
        if wrong:
            offenders[str(path.relative_to(ROOT))] = wrong
    assert offenders == {}


def test_no_part_imports_another_parts_private_names():
    offenders = []
    for folder in ("engine", "ui", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            here = _part(".".join(path.relative_to(ROOT).with_suffix("").parts))
            for module, names in _engine_imports(path):
                if _part(module) == here and here != "kernel":
                    continue  # inside one package, modules share what they need
                private = [n for n in names if n.startswith("_")]
                private += [m for m in module.split(".") if m.startswith("_") and m != "__init__"]
                if private:
                    offenders.append(f"{path.relative_to(ROOT)}: {module} {private}")
    assert offenders == []


def test_ui_and_pages_never_import_sqlalchemy():
    offenders = [str(path.relative_to(ROOT)) for folder in ("ui", "pages") for path in (ROOT / folder).rglob("*.py")
                 if {"sqlalchemy", "alembic"} & imported_modules(path)]
    assert offenders == []


def test_the_layering_test_notices_a_forbidden_import(tmp_path):
    # The rules above must be able to fail: an instrument module reaching into storage and a
    # private name of savings is caught by both.
    bad = tmp_path / "bad.py"
    bad.write_text("from engine.storage import save_scenario\nfrom engine.savings.model import _secret\n")
    modules = [module for module, _ in _engine_imports(bad)]
    assert [m for m in modules if _part(m) not in _MAY_IMPORT["instruments"]] == ["engine.storage"]
    assert [n for _, names in _engine_imports(bad) for n in names if n.startswith("_")] == ["_secret"]
