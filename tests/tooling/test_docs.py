"""The docs cannot drift from the code: every quoted line range must still say what it quotes.

A quote in docs/*.md is a line "From `path`, lines A–B:" followed by a fenced
block whose text is exactly lines A to B of that file.
"""

import re

import pytest

from shared.board.techniques import TECHNIQUES, doc_name
from shared.reading.doc_sections import SHARED_HEADINGS
from tests.servers import PROJECT_ROOT

DOCS = sorted((PROJECT_ROOT / "docs").glob("*.md"))
QUOTE = re.compile(
    r"^From `(?P<path>[^`]+)`, lines (?P<start>\d+)[–-](?P<end>\d+):\n\n```[\w-]*\n(?P<text>.*?)\n```",
    re.M | re.S,
)
# One doc per technique, each with the headings /docs/compare sets side by side.
TECHNIQUE_DOCS = [f"{doc_name(technique)}.md" for technique in TECHNIQUES]


def quotes():
    for doc in DOCS:
        for match in QUOTE.finditer(doc.read_text()):
            yield pytest.param(match, id=f"{doc.name}:{match['path']}:{match['start']}-{match['end']}")


@pytest.mark.parametrize("quote", list(quotes()))
def test_every_quoted_line_range_matches_the_file(quote):
    source = PROJECT_ROOT / quote["path"]
    assert source.is_file(), f"{quote['path']} does not exist"
    lines = source.read_text().splitlines()
    start, end = int(quote["start"]), int(quote["end"])
    assert 1 <= start <= end <= len(lines), f"lines {start}-{end} are outside {quote['path']}"
    assert "\n".join(lines[start - 1 : end]) == quote["text"], f"{quote['path']} lines {start}-{end} changed"


@pytest.mark.parametrize("name", TECHNIQUE_DOCS)
def test_each_technique_doc_has_the_shared_headings_in_order(name):
    text = (PROJECT_ROOT / "docs" / name).read_text()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert [h for h in headings if h in SHARED_HEADINGS] == list(SHARED_HEADINGS)
    assert "```mermaid" in text
    assert len(list(QUOTE.finditer(text))) >= 3, "a technique doc quotes the real code"
