"""docs/differences.md stays true: its table has a column for every app, and the routes it lists exist."""

import re

import requests

from tests.apps import APPS
from tests.servers import PROJECT_ROOT

TABLE = (PROJECT_ROOT / "docs" / "differences.md").read_text()


def table_row(first_cell):
    """The cells of the table row that starts with `first_cell`."""
    row = next(line for line in TABLE.splitlines() if line.startswith(f"| {first_cell} |"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def columns():
    """The technique of each column between "What" and "Why", as tests/apps.py names it."""
    return [heading.lower().replace(" ", "_") for heading in table_row("What")[1:-1]]


def test_the_differences_table_has_a_column_for_every_app():
    assert columns() == [sibling.technique for sibling in APPS]


def test_the_routes_one_technique_adds_answer_on_its_app_alone(any_app):
    routes_by_technique = dict(zip(columns(), table_row("Routes the app adds")[1:-1], strict=True))
    listed = {technique: re.findall(r"`(/[^`]*)`", cell) for technique, cell in routes_by_technique.items()}
    assert any(listed.values()), "the table lists the routes the apps add"
    for technique, paths in listed.items():
        for path in paths:
            status = requests.get(f"{any_app.url}{path}", timeout=5).status_code
            if technique == any_app.technique:
                assert status != 404, f"{path} is missing from the {technique} app"
            else:
                assert status == 404, f"{path} exists on the {any_app.technique} app too: add it to the table"
