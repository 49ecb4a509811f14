"""Where a link in a doc leads on the board: to another doc, to an image, or to a live sibling app.

The Markdown in docs/ is written for GitHub, where `polling.md` and `img/chart.png`
are files beside the doc, so GitHub renders it as it is. On the board the same links
become /docs/ routes; a link to a source folder (`../polling/`), which the board does
not serve, becomes plain text; and a link to an app at its default port
(http://127.0.0.1:5001) goes to that sibling where it really listens, at the host
name the reader used, as /compare's panes do.
"""

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from shared.web.siblings import DEFAULT_PORTS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = PROJECT_ROOT / "docs"
README = PROJECT_ROOT / "README.md"
# Files beside the docs that a doc links to, served as they are: the bench's charts and data.
ASSET_SUFFIXES = {".png", ".json"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost"}
TECHNIQUE_AT_DEFAULT_PORT = {port: technique for technique, port in DEFAULT_PORTS.items()}


def doc_paths():
    """Return every doc the board renders, {name: path}: docs/*.md by their stem, and the README."""
    return {path.stem: path for path in sorted(DOCS_DIR.glob("*.md"))} | {"README": README}


def board_href(href, doc_path, origins):
    """Return where `href`, written in the doc at `doc_path`, leads on the board (None: nowhere)."""
    address = urlsplit(href)
    if address.scheme in ("http", "https"):
        return sibling_href(address, origins) or href
    if address.scheme or address.netloc or not address.path:
        return href  # mailto:, another host, or an anchor in this same doc
    written_in = "" if doc_path == README else "docs"  # the README is the only doc outside docs/
    target = posixpath.normpath(posixpath.join(written_in, address.path))
    route = route_of(target)
    if route and address.fragment:
        return f"{route}#{address.fragment}"
    return route


def route_of(target):
    """Return the board's route for a file of the repository (a path from its root), or None."""
    if target == "README.md":
        return "/docs/README"
    folder, _, name = target.partition("/")
    if folder != "docs":
        return None
    if name.endswith(".md") and name[: -len(".md")] in doc_paths():
        return f"/docs/{name[: -len('.md')]}"
    if Path(name).suffix in ASSET_SUFFIXES and (DOCS_DIR / name).is_file():
        return f"/docs/{name}"
    return None


def sibling_href(address, origins):
    """Return a link to an app at its default loopback port, moved to where that sibling listens."""
    technique = TECHNIQUE_AT_DEFAULT_PORT.get(address.port)
    if address.hostname not in LOOPBACK_NAMES or technique not in origins:
        return None
    query = f"?{address.query}" if address.query else ""
    fragment = f"#{address.fragment}" if address.fragment else ""
    return f"{origins[technique]}{address.path or '/'}{query}{fragment}"
