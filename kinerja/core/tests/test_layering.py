"""Core is the bottom layer: it imports no app above it, and the apps register what they offer."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

CORE = Path(__file__).resolve().parents[1]
ABOVE = ("kinerja.audit", "kinerja.imports", "kinerja.organisations", "kinerja.accounts")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.Attribute) and node.attr == "get_model":
            names.append("apps.get_model")
    return names


def test_core_imports_no_app_above_it():
    offenders = {
        str(path.relative_to(CORE)): name
        for path in CORE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for name in _imports(path)
        if name.startswith(ABOVE) or name == "apps.get_model"
    }
    assert offenders == {}


@pytest.mark.django_db
def test_each_app_registers_its_navigation(world, login):
    body = login(world.users["system_admin"]).get(reverse("core:home")).content.decode()
    for name in (
        "organisations:unit_tree",
        "organisations:employee_list",
        "imports:import_start",
        "audit:event_list",
    ):
        assert f'href="{reverse(name)}"' in body
