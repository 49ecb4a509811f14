"""The repository's shape: pinned dependencies, the `websockets` folder shadowing nothing, imports one way.

Imports point one way (shared/__init__.py): apps -> web -> news -> store -> board, with
serve.py, reading/, tuning/ and tools/ on top; and no module of the apps or of shared/
grows past what a reader takes in at once.
"""

import ast
import importlib.metadata
import re

from packaging.requirements import Requirement

from tests.servers import PROJECT_ROOT

# Installed by venv itself, not by requirements.txt.
VENV_OWN = {"pip", "setuptools", "wheel"}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_requirements():
    lines = (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def test_every_dependency_is_pinned_to_an_exact_version():
    for requirement in pinned_requirements():
        [specifier] = requirement.specifier
        assert specifier.operator == "==", f"{requirement} is not pinned exactly"


def test_what_is_installed_is_exactly_what_requirements_pin():
    pinned = {canonical(r.name): str(next(iter(r.specifier)).version) for r in pinned_requirements()}
    installed = {
        canonical(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
        if canonical(dist.metadata["Name"]) not in VENV_OWN
    }
    assert installed == pinned


def test_no_dependency_needs_the_pypi_websockets_library_our_folder_shadows():
    installed = {canonical(dist.metadata["Name"]) for dist in importlib.metadata.distributions()}
    assert "websockets" not in installed
    for dist in importlib.metadata.distributions():
        for line in dist.requires or []:
            requirement = Requirement(line)
            needed = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
            assert not (needed and canonical(requirement.name) == "websockets"), dist.metadata["Name"]


def test_import_websockets_finds_this_projects_folder():
    import websockets

    assert websockets.__file__ == str(PROJECT_ROOT / "websockets" / "__init__.py")


APPS = ("polling", "long_polling", "sse", "websockets")
STACK = ("board", "store", "news", "web")  # each may import those before it, and itself
ON_TOP = ("tuning", "reading", "tools")  # may import the whole stack, and itself
LONGEST_MODULE_LINES = 170


def concern(module):
    """What a dotted module name belongs to: a folder of shared/, "serve", an app, or None (a library)."""
    parts = module.split(".")
    if parts[0] in APPS:
        return parts[0]
    if parts[0] == "shared" and len(parts) > 1:
        return parts[1]
    return None


def module_name(path):
    """The dotted name of a module file of the project (a package is its __init__.py)."""
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """Each module that `path` imports, with its line: `from a import b` is a.b when a.b is a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: `from .x import y` in package a.b is from a.b.x
                base = ".".join(filter(None, [package.rsplit(".", node.level - 1)[0], node.module]))
            for alias in node.names:
                named = f"{base}.{alias.name}"
                yield (named if is_project_module(named) else base), node.lineno


def is_project_module(name):
    """True if `name` is a module or package of this project."""
    path = PROJECT_ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def may_import(importer_path, imported):
    """True if the module at `importer_path` may import the module named `imported`.

    Only serve.py imports serve.py, tuning/ or reading/: nothing else lists them (the tests are not checked).
    """
    importer, target = concern(module_name(importer_path)), concern(imported)
    if target is None or importer == "serve":
        return True
    if importer in APPS:
        allowed = {*STACK, importer} | ({"tools"} if importer_path.name == "client.py" else set())
    elif importer in ON_TOP:
        allowed = {*STACK, importer}
    elif importer in STACK:
        allowed = set(STACK[: STACK.index(importer) + 1])
    else:  # shared/__init__.py, and what is neither app nor shared (the bench)
        allowed = {*STACK, *APPS, "tools"}
    return target in allowed


def project_modules(*folders):
    """Every Python module under the given top-level folders."""
    return sorted(path for folder in folders for path in (PROJECT_ROOT / folder).rglob("*.py"))


def test_imports_point_one_way():
    wrong = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} imports {imported}"
        for path in project_modules("shared", *APPS, "bench")
        for imported, line in imports(path)
        if not may_import(path, imported)
    ]
    assert wrong == [], "against the arrows (shared/__init__.py):\n" + "\n".join(wrong)


def test_no_module_of_the_apps_or_of_shared_is_over_170_lines():
    lengths = {path: len(path.read_text().splitlines()) for path in project_modules("shared", *APPS)}
    longest = max(lengths, key=lengths.get)
    over = [
        f"{path.relative_to(PROJECT_ROOT)}: {lines}"
        for path, lines in lengths.items()
        if lines > LONGEST_MODULE_LINES
    ]
    assert over == [], f"split these (the longest: {longest.relative_to(PROJECT_ROOT)}, {lengths[longest]})"
