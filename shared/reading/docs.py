"""The docs, read inside the board: /docs/<name> renders one, /docs/compare sets the techniques side by side.

Every app serves them (the shared factory registers this blueprint), offline: the
Markdown in docs/ stays the one source, rendered here by shared/reading/doc_markdown.py, its
diagrams drawn in the browser by Mermaid from node_modules (shared/web/vendor.py).
"""

from pathlib import PurePosixPath

from flask import Blueprint, abort, redirect, render_template, send_from_directory, url_for
from mdit_py_plugins.anchors.index import slugify
from pygments.formatters import HtmlFormatter

from shared.board.techniques import TECHNIQUES, doc_name, label
from shared.reading.doc_links import ASSET_SUFFIXES, DOCS_DIR, doc_paths
from shared.reading.doc_markdown import DIAGRAM, rendered_doc
from shared.reading.doc_sections import SHARED_HEADINGS, rendered_sections
from shared.web.headers import is_page, page_policy, pane_origins
from shared.web.vendor import NODE_MODULES, serve_installed

MERMAID_DIR = NODE_MODULES / "mermaid" / "dist"
# The one file that draws diagrams without a bundler (it needs none of dist/chunks/).
MERMAID_FILES = {"mermaid.min.js"}
# Pygments' light default palette, which board.css's colours sit well with.
CODE_STYLE = "default"

# Docs pages only: Mermaid (docs' diagrams) styles each SVG it draws with a <style> element and
# style attributes written at run time, for the diagram's own generated ids and measured sizes,
# so no hash or nonce can name them in advance. Inline styles are allowed there and nowhere
# else; scripts stay 'self' only, and a docs page shows nothing a visitor typed.
DOCS_STYLE_POLICY = "style-src-elem 'self' 'unsafe-inline'; style-src-attr 'unsafe-inline'"

docs = Blueprint("docs", __name__, template_folder="templates")


@docs.after_request
def let_mermaid_style(response):
    """Docs pages may carry the inline styles Mermaid writes (DOCS_STYLE_POLICY), and nothing more."""
    if is_page(response):
        response.headers["Content-Security-Policy"] = page_policy(DOCS_STYLE_POLICY)
    return response


def doc_list():
    """Return the names of the docs in reading order: the README, the story, each technique, the rest."""
    first = ["README", "history", *(doc_name(technique) for technique in TECHNIQUES)]
    return [name for name in first if name in doc_paths()] + sorted(set(doc_paths()) - set(first))


def live_board(technique):
    """Return (label, address) of the technique's running app, for its doc's "Try it" section."""
    origin = pane_origins().get(technique)
    return (label(technique), f"{origin}/") if origin else None


def render_args(path, technique=None):
    """The cache key of one rendering: the file and its age, where the siblings are, its live board."""
    return path, path.stat().st_mtime_ns, tuple(pane_origins().items()), live_board(technique)


def docs_page(template, current, **context):
    """Render a docs page, with the list of docs whose `current` one is marked."""
    return render_template(template, docs=doc_list(), current=current, **context)


@docs.get("/docs/")
def index():
    """The docs start at the README, which lists them all in reading order."""
    return redirect(url_for("docs.doc", name="README"))


@docs.get("/docs/<path:name>")
def doc(name):
    """Render one doc; a name ending in .md goes to the rendered doc; a chart or data file, as it is."""
    paths = doc_paths()
    if name in paths:
        techniques = {doc_name(technique): technique for technique in TECHNIQUES}
        title, html = rendered_doc(*render_args(paths[name], techniques.get(name)))
        # Mermaid's 5 MB are loaded only where there is something to draw.
        return docs_page("doc.html", name, title=title, html=html, diagrams=DIAGRAM in html)
    if name.endswith(".md") and name.removesuffix(".md") in paths:
        return redirect(url_for("docs.doc", name=name.removesuffix(".md")))
    if PurePosixPath(name).suffix in ASSET_SUFFIXES:
        return send_from_directory(DOCS_DIR, name)  # safe_join: nothing outside docs/
    abort(404)


@docs.get("/docs/compare")
def compare_view():
    """Every technique doc in a column, one row per shared heading."""
    columns = [technique_column(technique) for technique in TECHNIQUES]
    headings = [(heading, slugify(heading)) for heading in SHARED_HEADINGS]
    return docs_page("docs_compare.html", "compare", headings=headings, columns=columns, diagrams=True)


def technique_column(technique):
    """Return one column of /docs/compare: the technique, its doc, and that doc's shared sections."""
    path = doc_paths().get(doc_name(technique))
    sections = rendered_sections(technique, *render_args(path, technique)) if path else {}
    return dict(technique=technique, label=label(technique), doc=doc_name(technique), sections=sections)


@docs.get("/docs/highlight.css")
def code_colours():
    """Pygments' colours for the docs' code blocks, made from the same palette that marks them up."""
    rules = HtmlFormatter(style=CODE_STYLE).get_style_defs(".doc pre code")
    return rules, 200, {"Content-Type": "text/css; charset=utf-8"}


@docs.get("/docs/vendor/<name>")
def mermaid(name):
    """Serve the pinned Mermaid from node_modules, or say how to install it."""
    return serve_installed(MERMAID_DIR, name, MERMAID_FILES)
