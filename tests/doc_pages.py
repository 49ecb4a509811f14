"""Reading the rendered docs as the tests need them: every link, every id, every column."""

from html.parser import HTMLParser
from urllib.parse import urldefrag

import requests

TIMEOUT_SECONDS = 5


class DocPage(HTMLParser):
    """One docs page: the addresses it links to or loads, the ids it has, its compare-view columns."""

    def __init__(self, html):
        super().__init__()
        self.links, self.ids, self.columns = [], set(), []
        self.row = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.links += [attributes[name] for name in ("href", "src") if name in attributes]
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "h2" and attributes.get("id"):
            self.row = attributes["id"]  # /docs/compare: each row opens with its heading
        if tag == "article" and "column" in attributes.get("class", "").split():
            self.columns.append((self.row, attributes["data-technique"]))


def get_doc(app, path):
    """GET a docs page, assert it is a 200 HTML page, and parse it."""
    response = requests.get(f"{app.url}{path}", timeout=TIMEOUT_SECONDS)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    assert response.headers["Content-Type"].startswith("text/html"), path
    return response, DocPage(response.text)


def internal_links(page, path):
    """The page's links within the board, as (path, anchor) with `path` for links to this same page."""
    for link in page.links:
        if link.startswith("#"):
            yield path, link[1:]
        elif link.startswith("/") and not link.startswith("//"):
            address, anchor = urldefrag(link)
            yield address, anchor
