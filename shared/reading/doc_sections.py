"""The technique docs cut at their shared headings, for /docs/compare: one row per heading.

Every technique doc has the same second-level headings, in the same order, so that
"What it costs" for polling sits beside "What it costs" for WebSockets. A technique
joins the comparison by being in TECHNIQUES (shared/board/techniques.py) with its doc in
docs/; a doc without one of these headings shows a gap, and the tests fail.
"""

from functools import lru_cache

from shared.reading.doc_markdown import heading_text, parse, render

SHARED_HEADINGS = (
    "The idea",
    "A sequence",
    "The server side",
    "The client side",
    "What it costs",
    "Where it breaks",
    "When to use it",
    "Try it",
)


def cut_at_headings(tokens):
    """Split parsed tokens into {second-level heading: the tokens under it}, leaving out the intro."""
    sections, current = {}, None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.tag == "h2":
            current = sections.setdefault(heading_text(tokens, index), [])
            index += 3  # the heading itself is the row's, shown once for every column
            continue
        if current is not None:
            current.append(token)
        index += 1
    return sections


def own_anchors(tokens, prefix):
    """Prefix the ids of a column's headings, and its links to them, so that columns do not collide."""
    for token in tokens:
        if token.type == "heading_open" and token.attrGet("id"):
            token.attrSet("id", f"{prefix}-{token.attrGet('id')}")
        for child in token.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if href and href.startswith("#"):
                child.attrSet("href", f"#{prefix}-{href[1:]}")


@lru_cache(maxsize=64)
def rendered_sections(prefix, doc_path, modified_ns, origins, live_board=None):
    """Return {shared heading: HTML} of one technique doc; cached until the file changes."""
    tokens = parse(doc_path, dict(origins), live_board)
    own_anchors(tokens, prefix)
    sections = cut_at_headings(tokens)
    return {heading: render(sections[heading]) for heading in SHARED_HEADINGS if heading in sections}
