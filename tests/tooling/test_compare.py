"""The race page, /compare, on every app: one pane per technique, framed by exactly the siblings."""

import shutil
import subprocess
from html.parser import HTMLParser

import requests

from shared.board.techniques import TECHNIQUES
from shared.web.siblings import port_setting, sibling_ports
from tests.servers import PROJECT_ROOT

COST_UNITS_SCRIPT = PROJECT_ROOT / "tests" / "js" / "race_cost_units.mjs"


class Tags(HTMLParser):
    """Every start tag of a page, as (name, attributes) pairs."""

    def __init__(self, page):
        super().__init__()
        self.found = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def named(self, tag):
        return [attrs for name, attrs in self.found if name == tag]


def policy(response):
    """The response's Content-Security-Policy as {directive: [sources]}."""
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def get(url, **headers):
    response = requests.get(url, headers=headers, timeout=5)
    assert response.status_code == 200, response.text
    return response


def origins(host_name, ports):
    """Each technique's origin on `host_name`, in TECHNIQUES order."""
    return {technique: f"http://{host_name}:{ports[technique]}" for technique in TECHNIQUES}


def panes(page):
    """The race page's panes as (technique, address) pairs, in page order; every one has a title."""
    frames = Tags(page.text).named("iframe")
    assert all(frame.get("title") for frame in frames)
    return [(frame["data-technique"], frame["src"]) for frame in frames]


def test_every_app_serves_the_race_page_with_one_pane_per_sibling(any_app):
    page = get(f"{any_app.url}/compare")
    expected = origins("127.0.0.1", sibling_ports())  # the defaults, or this shell's settings
    assert panes(page) == [(technique, f"{origin}/") for technique, origin in expected.items()]
    assert policy(page)["frame-src"] == list(expected.values())
    assert policy(page)["connect-src"] == ["'self'", *expected.values()], "it reads each sibling's cost"
    assert policy(page)["script-src"] == ["'self'"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_is_usable_as_the_other_pages_are(any_app):
    page = get(f"{any_app.url}/compare").text
    tags = Tags(page)
    assert '<html lang="en">' in page
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in tags.named("meta")
    assert '<label for="race-city">City</label>' in page
    assert [field["id"] for field in tags.named("input")] == ["race-city"]
    assert '<button type="submit">Send once</button>' in page
    assert '<a href="/docs/compare">' in page, "the race links to the docs side by side"
    assert '<a href="/docs/workshop">' in page, "and to the workshop's run sheet"
    scripts = ["/reading/cost.js", "/reading/cost_chart.js", "/reading/compare.js"]
    assert [script["src"] for script in tags.named("script")] == scripts  # none inline
    for technique in TECHNIQUES:
        figures = ("result-{}", "cost-{}-requests", "cost-{}-bytes", "server-{}-cpu")
        ids = [figure.format(technique) for figure in figures]
        assert all(f'id="{id_}"' in page for id_ in ids), f"{technique}'s lane shows its result and its cost"
    assert [canvas["id"] for canvas in tags.named("canvas")] == ["cost-chart"]
    script = get(f"{any_app.url}/reading/compare.js")
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert 'fetch("/api/cities"' in script.text and "event.origin" in script.text
    assert "/api/cost" in get(f"{any_app.url}/reading/cost.js").text


def test_panes_follow_the_port_settings_and_the_host_name_the_browser_used(start_app):
    ports = {"polling": 6101, "long_polling": 6102, "sse": 6104, "websockets": 6103}
    app = start_app("long_polling", **{port_setting(technique): port for technique, port in ports.items()})
    page = get(f"{app.url}/compare", Host=f"localhost:{app.port}")
    expected = origins("localhost", ports)
    assert panes(page) == [(technique, f"{origin}/") for technique, origin in expected.items()]
    assert policy(page)["frame-src"] == list(expected.values())
    assert policy(page)["frame-ancestors"] == ["'self'", *expected.values()]


def test_a_board_may_be_framed_by_its_siblings_and_nobody_else(any_app):
    board = get(any_app.url)
    expected = origins("127.0.0.1", sibling_ports())
    assert policy(board)["frame-ancestors"] == ["'self'", *expected.values()]
    assert "frame-src" not in policy(board), "a board frames nothing; only /compare frames the siblings"
    assert policy(board)["connect-src"] == ["'self'"], "a board asks its own app only"
    assert "'unsafe-inline'" not in policy(board)["script-src"]
    assert board.headers["X-Content-Type-Options"] == "nosniff"
    meter_script = get(f"{any_app.url}/shared/meter.js").text
    assert "window.parent.postMessage(" in meter_script, "a framed board reports its cities and its counts"


def test_the_race_pages_cost_arithmetic_in_node():
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (.ci/run installs it)"
    finished = subprocess.run(
        [node, str(COST_UNITS_SCRIPT)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.splitlines()[-1] == "all passed"
