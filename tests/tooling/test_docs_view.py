"""The docs inside the board: /docs/<name> renders each doc, /docs/compare the techniques side by side."""

import re
from importlib import import_module

import pytest
import requests
from flask import Flask

from shared import reading
from shared.board.techniques import TECHNIQUES, doc_name
from shared.reading.doc_links import doc_paths
from shared.reading.doc_sections import SHARED_HEADINGS
from shared.web.routes import board
from shared.web.siblings import sibling_ports
from tests.doc_pages import TIMEOUT_SECONDS, DocPage, get_doc, internal_links
from tests.servers import PROJECT_ROOT

# Where a rendered doc may point: a route of the board, an anchor, the web, or an inline image.
BOARD_OR_WEB = re.compile(r"^(/(?!/)|#|https?://|mailto:|data:)")
LIVE_BOARD_LINK = re.compile(r'<p class="live-board"><a href="([^"]+)">')


@pytest.mark.parametrize("name", sorted(doc_paths()))
def test_every_doc_renders_and_every_link_within_the_board_leads_somewhere(polling_app, name):
    _, page = get_doc(polling_app, f"/docs/{name}")
    assert not [link for link in page.links if not BOARD_OR_WEB.match(link)], "no link to a repository file"
    pages = {}
    for address, anchor in internal_links(page, f"/docs/{name}"):
        if address not in pages:
            response = requests.get(f"{polling_app.url}{address}", timeout=TIMEOUT_SECONDS)
            assert response.status_code == 200, f"{address}, linked from /docs/{name}: {response.status_code}"
            pages[address] = (
                DocPage(response.text) if response.headers["Content-Type"].startswith("text/html") else None
            )
        assert not anchor or anchor in pages[address].ids, f"{address}#{anchor}, linked from /docs/{name}"


def test_a_doc_is_commonmark_with_tables_anchors_coloured_code_and_its_diagram_as_source(polling_app):
    response, page = get_doc(polling_app, "/docs/polling")
    html = response.text
    assert "<title>Polling: ask again, on a timer · Meetup board docs</title>" in html
    assert '<h2 id="what-it-costs">What it costs <a class="header-anchor" href="#what-it-costs">' in html
    assert "<table>" in html and re.search(r"<th[^>]*>polling</th>", html), "a pipe table is a table"
    assert re.search(r'<code class="language-python"><span class="nd">@board</span>', html), (
        "Pygments colours"
    )
    # With JavaScript off, the diagram's source is still there to read.
    assert re.search(r'<pre class="mermaid">sequenceDiagram\n\s+participant A as Tab A', html)
    assert "A-&gt;&gt;S: GET /api/state" in html, "the arrows are escaped text, not markup"
    assert "\n## " not in html, "no Markdown heading is left unrendered"
    scripts = [link for link in page.links if link.endswith(".js")]
    assert scripts == ["/docs/vendor/mermaid.min.js", "/reading/docs.js"]
    mermaid = requests.get(f"{polling_app.url}/docs/vendor/mermaid.min.js", timeout=TIMEOUT_SECONDS)
    assert mermaid.status_code == 200 and mermaid.headers["Content-Type"].startswith("text/javascript")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src-elem 'self' 'unsafe-inline'" in policy
    board_page = requests.get(polling_app.url, timeout=TIMEOUT_SECONDS)
    assert "unsafe-inline" not in board_page.headers["Content-Security-Policy"], "inline styles: docs only"


def test_links_between_docs_images_and_the_readme_go_to_the_board(polling_app):
    history, comparison, readme = (
        get_doc(polling_app, f"/docs/{name}")[0].text for name in ("history", "comparison", "README")
    )
    assert '<a href="/docs/polling">polling.md</a>' in history
    assert "<code>polling/</code>" in history and 'href="../polling/"' not in history, (
        "a source folder is text"
    )
    assert '<a href="/docs/history">the story</a>' in readme
    assert '<img src="/docs/img/delay-distribution.png"' in comparison
    image = requests.get(f"{polling_app.url}/docs/img/delay-distribution.png", timeout=TIMEOUT_SECONDS)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    ["/docs/nope", "/docs/..%2Fshared%2Fsettings.py", "/docs/img/..%2F..%2Frequirements.txt", "/docs/x.json"],
)
def test_an_unknown_doc_or_a_file_outside_docs_is_a_plain_404(polling_app, path):
    response = requests.get(f"{polling_app.url}{path}", timeout=TIMEOUT_SECONDS)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")


def test_a_link_to_the_markdown_file_and_the_docs_root_lead_to_rendered_docs(polling_app):
    for path, rendered in (("/docs/long-polling.md", "/docs/long-polling"), ("/docs/", "/docs/README")):
        response = requests.get(f"{polling_app.url}{path}", allow_redirects=False, timeout=TIMEOUT_SECONDS)
        assert response.status_code == 302 and response.headers["Location"] == rendered


def test_the_compare_view_has_every_shared_heading_for_every_technique(polling_app):
    response, page = get_doc(polling_app, "/docs/compare")
    rows = [heading.lower().replace(" ", "-") for heading in SHARED_HEADINGS]
    assert page.columns == [(row, technique) for row in rows for technique in TECHNIQUES]
    assert 'class="missing"' not in response.text
    assert response.text.count('<pre class="mermaid">') == len(TECHNIQUES), "every technique's sequence"


def test_a_technique_doc_without_a_shared_heading_shows_a_gap(monkeypatch, tmp_path):
    polling = tmp_path / "polling.md"
    polling.write_text(
        (PROJECT_ROOT / "docs" / "polling.md").read_text().replace("## What it costs", "## Costs")
    )
    # The module itself: `shared.reading.docs` as an attribute is the blueprint its package re-exports.
    docs_module = import_module("shared.reading.docs")
    monkeypatch.setattr(docs_module, "doc_paths", lambda: doc_paths() | {"polling": polling})
    app = Flask(__name__)
    app.config.update(TITLE="docs", SIBLING_PORTS=sibling_ports())
    app.register_blueprint(board)
    reading.register(app)
    response = app.test_client().get("/docs/compare")
    assert response.status_code == 200
    assert '<p class="missing">docs/polling.md has no "What it costs" section.</p>' in response.text


def test_try_it_links_to_the_live_app_of_each_technique(every_app):
    for app in every_app:
        doc = get_doc(every_app[0], f"/docs/{doc_name(app.technique)}")[0].text
        [live_board] = LIVE_BOARD_LINK.findall(doc)
        assert live_board == f"{app.url}/"
        board_page = requests.get(live_board, timeout=TIMEOUT_SECONDS)
        assert board_page.status_code == 200
        assert f'data-technique="{app.technique}"' in board_page.text
