"""The run sheet, docs/workshop.md: the board renders and lists it, and every command it names exists."""

import re

from tests.doc_pages import get_doc
from tests.servers import PROJECT_ROOT

RUN_SHEET = PROJECT_ROOT / "docs" / "workshop.md"
# What a facilitator types: fenced blocks and inline code, where "make <target>" is a command.
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
MAKE_COMMAND = re.compile(r"(?:^|[\s;&|(`])make +([a-z][\w-]*)", re.M)
MAKEFILE_TARGET = re.compile(r"^([a-z][\w-]*):", re.M)


def make_targets_named(markdown):
    """Return the targets of every `make <target>` command in the Markdown's code."""
    return {target for code in CODE.findall(markdown) for target in MAKE_COMMAND.findall(code)}


def test_the_run_sheet_renders_in_the_board_and_the_readme_links_it(polling_app):
    response, _ = get_doc(polling_app, "/docs/workshop")
    assert "<title>Running the workshop: a run sheet · Meetup board docs</title>" in response.text
    assert '<h2 id="exercises">Exercises' in response.text
    _, readme = get_doc(polling_app, "/docs/README")
    # The docs' list, a sentence near the top, and the reading order.
    assert readme.links.count("/docs/workshop") >= 3


def test_every_make_target_the_run_sheet_names_is_in_the_makefile():
    named = make_targets_named(RUN_SHEET.read_text())
    assert {"setup", "run-all", "room", "reset"} <= named, "the run sheet's commands are read"
    targets = set(MAKEFILE_TARGET.findall((PROJECT_ROOT / "Makefile").read_text()))
    assert named - targets == set()
