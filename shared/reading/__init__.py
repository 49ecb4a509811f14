"""What a reader opens beside the boards: the docs, rendered (/docs/), and the race page (/compare).

Read after the apps: none of this is a technique. docs.py serves the Markdown of
docs/ rendered (doc_markdown.py), its links moved to the board (doc_links.py) and
cut at the shared headings for /docs/compare (doc_sections.py); compare.py serves
the race. shared/serve.py adds them to every app with `register`; the web skeleton
(shared/web/) knows nothing of them.
"""

from flask import Blueprint

from shared.reading.compare import compare
from shared.reading.docs import docs

# The pages' own styles and scripts (compare.css and .js, docs.css and .js), at /reading/<name>.
assets = Blueprint("reading", __name__, static_folder="static", static_url_path="/reading")


def register(app):
    """Add the docs viewer and the race page to a board app."""
    for blueprint in (assets, compare, docs):
        app.register_blueprint(blueprint)
