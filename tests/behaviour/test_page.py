"""The page (docs/spec.md: "The page's contract: element ids and scripts", "Safe by default")."""

import re

import requests

from shared.board.techniques import TECHNIQUES, doc_name
from tests.api import state
from tests.servers import listening_addresses

SPEC_IDS = [
    "visits", "present-total", *(f"present-{name}" for name in TECHNIQUES),
    "city-form", "city-input", "cities", "status", "meter-requests", "meter-bytes",
    "meter-updates", "meter-delay-last", "meter-delay-median", "meter-transport",
]  # fmt: skip


def get_page(app):
    """GET / and assert it is the page."""
    page = requests.get(app.url, timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    return page


def test_every_page_view_counts_a_visit_and_open_pages_see_the_count_rise(any_app, open_page):
    watcher = open_page(any_app)
    before = state(any_app)["visits"]
    get_page(any_app)
    assert state(any_app)["visits"] == before + 1
    watcher.wait_for(lambda board: board["visits"] == before + 1, "the open page to see the visit")


def test_the_page_names_its_technique_and_carries_every_element_the_spec_names(any_app):
    page = get_page(any_app).text
    assert f'<body data-technique="{any_app.technique}"' in page
    for element_id in SPEC_IDS:
        assert f'id="{element_id}"' in page, element_id
    assert '<html lang="en">' in page
    assert '<label for="city-input">' in page
    assert re.search(r'<form id="city-form">.*<button type="submit">', page, re.DOTALL)


def test_the_page_forbids_inline_script_and_type_sniffing(any_app):
    page = get_page(any_app)
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in page.text, "no inline script"
    api = requests.get(f"{any_app.url}/api/state", timeout=5)
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_everything_the_page_loads_comes_from_the_app_itself(any_app):
    page = get_page(any_app).text
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    loaded = [address for address in addresses if not address.startswith("data:")]
    assert loaded, "the page loads its scripts and styles"
    for address in loaded:
        assert address.startswith("/") and not address.startswith("//"), address
        response = requests.get(f"{any_app.url}{address}", timeout=5)
        assert response.status_code == 200, address


def test_the_explainer_links_to_the_technique_doc_rendered_and_to_the_docs_side_by_side(any_app):
    page = get_page(any_app).text
    [doc_path] = re.findall(r'<a href="(/docs/[a-z-]+)">How ', page)
    assert doc_path == f"/docs/{doc_name(any_app.technique)}"
    doc = requests.get(f"{any_app.url}{doc_path}", timeout=5)
    assert doc.status_code == 200
    assert doc.headers["Content-Type"].startswith("text/html")
    assert '<main class="doc">\n<h1 id=' in doc.text
    assert 'href="/docs/compare"' in page
    assert requests.get(f"{any_app.url}/docs/..%2Fshared%2Fsettings.py", timeout=5).status_code == 404


def test_an_unknown_path_is_a_plain_404(any_app):
    response = requests.get(f"{any_app.url}/admin", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Traceback" not in response.text


def test_the_app_listens_on_loopback_only_unless_host_says_otherwise(sibling, start_app):
    app = start_app(sibling.technique, HOST=None)  # unset: the app's own default
    assert listening_addresses(app.port) == {"0100007F"}  # 127.0.0.1, as the kernel writes it
