"""Each app owns its tables (docs/architecture.md): no app's code (tests and migrations aside) names another
app's table in a string, or writes another app's model through ``.objects.create/update/…``. The owner
offers a service or a SQL fragment instead."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

JARING = Path(__file__).resolve().parents[2]
WRITES = {"create", "update", "bulk_create", "bulk_update", "delete", "get_or_create", "update_or_create",
          "raw"}

# (file relative to jaring/, table or model) pairs that may stay, each with the reason. Keep it tiny.
ALLOWED: set[tuple[str, str]] = set()


def _app_of(model) -> str | None:
    parts = model.__module__.split(".")
    return parts[1] if parts[0] == "jaring" else None


def _tables() -> dict[str, str]:
    return {m._meta.db_table: _app_of(m) for m in apps.get_models() if _app_of(m)}


def _sources():
    for path in sorted(JARING.rglob("*.py")):
        rel = path.relative_to(JARING)
        if len(rel.parts) < 2 or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield rel, rel.parts[0], path.read_text()


def _imported_models(tree: ast.AST, app: str) -> dict[str, str]:
    """{name: owning app} for model classes a module imports from an app's ``models``."""
    models = {m.__name__ for m in apps.get_models()}
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level and node.module == "models":
                owner = app
            elif node.level == 0 and re.fullmatch(r"jaring\.(\w+)\.models", node.module):
                owner = node.module.split(".")[1]
            else:
                continue
            for alias in node.names:
                if alias.name in models:
                    out[alias.asname or alias.name] = owner
    return out


def _violations() -> list[str]:
    tables = _tables()
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, tables), key=len, reverse=True)) + r")\b")
    found = []
    for rel, app, text in _sources():
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for table in set(pattern.findall(node.value)):
                    if tables[table] != app and (str(rel), table) not in ALLOWED:
                        found.append(f"jaring/{rel}:{node.lineno}: names {table} ({tables[table]}'s table)")
        owners = _imported_models(tree, app)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in WRITES):
                continue
            r = node.func.value
            while isinstance(r, (ast.Call, ast.Attribute)):
                if isinstance(r, ast.Attribute) and r.attr == "objects" and isinstance(r.value, ast.Name):
                    owner = owners.get(r.value.id)
                    if owner and owner != app and (str(rel), r.value.id) not in ALLOWED:
                        found.append(f"jaring/{rel}:{node.lineno}: {r.value.id}.objects….{node.func.attr}() "
                                     f"writes {owner}'s model")
                    break
                r = r.func if isinstance(r, ast.Call) else r.value
    return found


def test_no_app_names_or_writes_another_apps_tables():
    found = _violations()
    assert not found, "\n".join(["Ask the owning app (a service or a SQL fragment) instead:"] + found)


def test_the_scan_finds_a_foreign_table_and_a_foreign_write(tmp_path, monkeypatch):
    """The scan itself can fail: a file in one app naming and writing another's table is reported."""
    fake = [(Path("savings/fake.py"), "savings", 'from jaring.members.models import Member\n'
             'SQL = "UPDATE members_member SET status = 1"\n'
             'def f(ids):\n    Member.objects.filter(pk__in=ids).update(status="inactive")\n')]
    monkeypatch.setattr(__import__(__name__, fromlist=["_sources"]), "_sources", lambda: iter(fake))
    found = _violations()
    assert found == ["jaring/savings/fake.py:2: names members_member (members's table)",
                     "jaring/savings/fake.py:4: Member.objects….update() writes members's model"]
