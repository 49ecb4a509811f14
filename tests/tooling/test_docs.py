"""The docs cannot drift from the code: every quote is the current source of the symbol it names.

A quote in docs/*.md is a line "From `path`, `symbol`:" followed by a fenced block
whose text is exactly that symbol's source (tests/doc_quotes.py says what a symbol's
source is). Moving code within a file, or adding lines above it, breaks no quote;
changing the quoted code does, until the doc says what the code now says.
"""

import re

import pytest

from shared.board.techniques import TECHNIQUES, doc_name
from shared.reading.doc_sections import SHARED_HEADINGS
from tests.doc_quotes import QUOTE, QUOTE_INTRODUCTION, SymbolNotFound, symbol_source
from tests.servers import PROJECT_ROOT

DOCS = sorted((PROJECT_ROOT / "docs").glob("*.md"))
# One doc per technique, each with the headings /docs/compare sets side by side.
TECHNIQUE_DOCS = [f"{doc_name(technique)}.md" for technique in TECHNIQUES]


def quotes():
    """Every quote of every doc, as a test case named doc:path:symbol."""
    for doc in DOCS:
        for match in QUOTE.finditer(doc.read_text()):
            yield pytest.param(match, id=f"{doc.name}:{match['path']}:{match['symbol']}")


@pytest.mark.parametrize("quote", list(quotes()))
def test_every_quote_is_the_current_source_of_its_symbol(quote):
    source = PROJECT_ROOT / quote["path"]
    assert source.is_file(), f"{quote['path']} does not exist"
    try:
        current = symbol_source(source, quote["symbol"])
    except SymbolNotFound as missing:
        pytest.fail(f"{quote['path']}: {missing}")
    assert quote["text"] == current, f"{quote['path']} `{quote['symbol']}` changed: quote it as it is now"


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc.name)
def test_every_quote_is_in_the_form_the_test_reads(doc):
    text = doc.read_text()
    checked = {match.start() for match in QUOTE.finditer(text)}
    unchecked = [
        match[0].splitlines()[0]
        for match in QUOTE_INTRODUCTION.finditer(text)
        if match.start() not in checked
    ]
    assert not unchecked, "quote by file and symbol, From `path`, `symbol`:"


@pytest.mark.parametrize("name", TECHNIQUE_DOCS)
def test_each_technique_doc_has_the_shared_headings_in_order(name):
    text = (PROJECT_ROOT / "docs" / name).read_text()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert [h for h in headings if h in SHARED_HEADINGS] == list(SHARED_HEADINGS)
    assert "```mermaid" in text
    assert len(list(QUOTE.finditer(text))) >= 3, "a technique doc quotes the real code"


PYTHON = '''\
import functools

# Not about the class: a blank line follows.

class Waiter:
    """Waits."""

    # Why this kind.
    KIND, OTHER = "waiter", "other"

    @functools.cache
    def wait(self):
        """Wait once."""
        return 1
'''
JAVASCRIPT = """\
(() => {
  const delayMs = 5;
  // Why this socket.
  const socket = io({
    auth: (send) => send({ cursor }),
  });

  async function poll() {
    if (ready) {
      go();
    }
  }
})();
"""
METHOD = '''\
    @functools.cache
    def wait(self):
        """Wait once."""
        return 1'''
SOCKET = """\
  // Why this socket.
  const socket = io({
    auth: (send) => send({ cursor }),
  });"""
POLL = """\
  async function poll() {
    if (ready) {
      go();
    }
  }"""


@pytest.mark.parametrize(
    ("name", "text", "symbol", "source"),
    [
        ("a.py", PYTHON, "Waiter.OTHER", '    # Why this kind.\n    KIND, OTHER = "waiter", "other"'),
        ("a.py", PYTHON, "Waiter.wait", METHOD),
        ("a.py", PYTHON, "Waiter", PYTHON[PYTHON.index("class Waiter") :].rstrip()),
        ("a.js", JAVASCRIPT, "delayMs", "  const delayMs = 5;"),
        ("a.js", JAVASCRIPT, "socket", SOCKET),
        ("a.js", JAVASCRIPT, "poll", POLL),
    ],
)
def test_a_symbol_is_its_whole_source_with_the_comment_above_it_and_its_indentation(
    tmp_path, name, text, symbol, source
):
    path = tmp_path / name
    path.write_text(text)
    assert symbol_source(path, symbol) == source


@pytest.mark.parametrize(
    ("name", "text", "symbol"),
    [
        ("a.py", PYTHON, "wait"),  # a method is named with its class
        ("a.py", PYTHON, "Waiter.missing"),
        ("a.py", "def twice():\n    pass\n\n\ndef twice():\n    pass\n", "twice"),
        ("a.js", JAVASCRIPT, "go"),
        ("a.js", "function open() {\n  go();\n", "open"),
    ],
)
def test_a_missing_ambiguous_or_unclosed_symbol_is_refused(tmp_path, name, text, symbol):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SymbolNotFound):
        symbol_source(path, symbol)
