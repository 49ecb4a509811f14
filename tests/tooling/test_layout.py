"""The repository's shape: pinned dependencies, and the `websockets` folder shadowing nothing in use."""

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
