"""Every environment variable the code reads is listed in .env.example (found by reading the source)."""

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent
ROOT = Path(__file__).resolve().parents[4]
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "getenv"}
ENVIRON_METHODS = {"get", "setdefault", "pop"}
NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


def _is_environ(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _func_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if _is_environ(func.value) and func.attr in ENVIRON_METHODS:
            return "environ"
        return func.attr
    return None


def _python_files():
    for path in sorted((ROOT / "src").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path
    yield ROOT / "manage.py"


def python_env_names() -> set[str]:
    """Literal names passed to env readers, directly or through helper functions that forward a parameter.

    A helper such as ``oidc_setting(name)`` that calls ``env_str(name)`` is a reader too; the names it is
    called with are collected, and so are the upper-case constants of the module where a helper calls the
    environment directly (its table of defaults and required names).
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()}
    readers: dict[str, int] = dict.fromkeys([*ENV_READERS, "environ"], 0)
    forwarding_modules: set[Path] = set()
    changed = True
    while changed:  # helpers may forward to helpers: iterate to a fixed point
        changed = False
        for path, tree in trees.items():
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef) or fn.name in readers:
                    continue
                params = [a.arg for a in fn.args.args]
                for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                    index = readers.get(_func_name(call) or "")
                    if index is None or len(call.args) <= index:
                        continue
                    arg = call.args[index]
                    if isinstance(arg, ast.Name) and arg.id in params:
                        readers[fn.name] = params.index(arg.id)
                        if _func_name(call) in ENV_READERS | {"environ"}:
                            forwarding_modules.add(path)
                        changed = True
                        break

    names: set[str] = set()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                index = readers.get(_func_name(node) or "")
                if index is not None and len(node.args) > index:
                    arg = node.args[index]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        names.add(arg.value)
            elif (isinstance(node, ast.Subscript) and _is_environ(node.value)
                  and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                names.add(node.slice.value)
        if path in forwarding_modules:
            for stmt in tree.body:
                if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
                    for const in ast.walk(stmt.value):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str) and NAME.match(
                                const.value) and "_" in const.value:
                            names.add(const.value)
    return names


def shell_env_names() -> set[str]:
    names = set()
    for path in [*sorted((ROOT / "scripts").glob("*.sh")), ROOT / ".ci" / "run"]:
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):?[-=]", path.read_text(encoding="utf-8")))
    names |= set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*\?=", (ROOT / "Makefile").read_text(), flags=re.M))
    return names


def documented_names() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", text, flags=re.M))


def test_scanner_finds_the_known_readers():
    found = python_env_names() | shell_env_names()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EGOV_DATA_DIR", "PORT",
            "DJANGO_SETTINGS_MODULE", "LOG_LEVEL"} <= found


def test_every_variable_read_is_in_env_example():
    missing = sorted((python_env_names() | shell_env_names()) - documented_names())
    assert not missing, f"Thêm vào .env.example (kèm chú thích): {', '.join(missing)}"


def test_env_example_lists_no_variable_nobody_reads():
    stale = sorted(documented_names() - python_env_names() - shell_env_names())
    # Variables read by libraries on our behalf (mozilla-django-oidc asks for them through our helper).
    read_by_libraries = {"OIDC_RP_CLIENT_SECRET", "OIDC_OP_JWKS_ENDPOINT", "OIDC_OP_ISSUER"}
    assert not [name for name in stale if name not in read_by_libraries], stale
