"""The docs' Markdown as the board's HTML: CommonMark, tables, heading anchors, colours, diagrams.

Why markdown-it-py (4.3.0, November 2026): it implements the CommonMark spec and is
tested against the spec's examples, so a doc renders here as it does on GitHub (also
CommonMark); it is maintained by the Executable Books project, which builds MyST on
it; and GitHub's pipe tables are built in. mdit-py-plugins (0.7.0, same month, same
maintainers) adds the heading anchors. Python-Markdown follows the 2004 Markdown
rules instead, and renders some lists and code differently from GitHub.

Pygments colours the code; a ```mermaid block stays its source in a <pre>, which
static/docs.js (with Mermaid from npm) turns into a drawing, so a reader with
JavaScript off still reads the diagram's source.
"""

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from shared.reading.doc_links import board_href

# What a diagram's source is wrapped in, for static/docs.js to find and draw.
DIAGRAM = '<pre class="mermaid">'
# Spans only: markdown-it wraps them in <pre><code class="language-...">.
CODE_COLOURS = HtmlFormatter(nowrap=True)


def colour_code(code, language, _attributes):
    """Colour a fenced block with Pygments; a Mermaid block stays its source, for docs.js to draw."""
    if language == "mermaid":
        return f"{DIAGRAM}{escapeHtml(code)}</pre>"
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""  # markdown-it then shows the block as plain, escaped text
    return highlight(code, lexer, CODE_COLOURS)


# No raw HTML: the docs have none, and markdown-it escapes any that slips in.
MARKDOWN = (
    MarkdownIt("commonmark", {"html": False, "highlight": colour_code})
    .enable("table")
    .use(anchors_plugin, max_level=3, permalink=True, permalinkSymbol="#")
)


def parse(doc_path, origins, live_board=None):
    """Parse a doc, its links moved to the board; `live_board` (label, address) goes under "Try it"."""
    tokens = MARKDOWN.parse(doc_path.read_text())
    for token in tokens:
        if token.type == "inline":
            token.children = list(board_links(token.children, doc_path, origins))
    if live_board:
        add_live_board_link(tokens, *live_board)
    return tokens


def board_links(children, doc_path, origins):
    """Yield a heading's or paragraph's pieces with each link pointed at the board, or unwrapped."""
    unwrapping, autolink = False, None
    for child in children:
        if child.type == "link_open":
            href = board_href(child.attrGet("href"), doc_path, origins)
            unwrapping = href is None  # the board does not serve it (a source folder): keep the text
            if unwrapping:
                continue
            child.attrSet("href", href)
            autolink = href if child.markup == "autolink" else None  # <http://...> shows its address
        elif child.type == "link_close" and unwrapping:
            unwrapping = False
            continue
        elif child.type == "text" and autolink:
            child.content, autolink = autolink, None
        elif child.type == "image":
            child.attrSet("src", board_href(child.attrGet("src"), doc_path, origins) or "")
        yield child


def add_live_board_link(tokens, label, url):
    """Put a link to the running app first in the doc's "Try it" section."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and heading_text(tokens, index) == "Try it":
            link = Token("html_block", "", 0)
            link.content = (
                f'<p class="live-board"><a href="{escapeHtml(url)}">Open the live {label} board</a></p>\n'
            )
            tokens.insert(index + 3, link)  # after heading_open, its inline text, heading_close
            return


def heading_text(tokens, index):
    """Return the Markdown text of the heading that opens at `index`, as the doc writes it."""
    return tokens[index + 1].content


def title(tokens):
    """Return the doc's first heading, as text."""
    first = next(index for index, token in enumerate(tokens) if token.type == "heading_open")
    return heading_text(tokens, first)


def render(tokens):
    """Turn parsed tokens into HTML."""
    return MARKDOWN.renderer.render(tokens, MARKDOWN.options, {})


@lru_cache(maxsize=64)
def rendered_doc(doc_path, modified_ns, origins, live_board=None):
    """Return (title, HTML) of a whole doc; cached until the file changes, per set of sibling origins."""
    tokens = parse(doc_path, dict(origins), live_board)
    return title(tokens), render(tokens)
