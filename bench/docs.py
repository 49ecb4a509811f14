"""What the bench writes into docs/: comparison.md, and the figures each technique doc quotes.

Everything here is made from docs/comparison.json alone, so tests/tooling/test_bench_docs.py
can check that the docs say exactly what the committed results say.
"""

import re
from pathlib import Path

from bench.before_after import read_before
from bench.comparison import comparison, parameters, run_of
from bench.report import markdown_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
TECHNIQUE_DOCS = {
    "polling": "polling.md",
    "long_polling": "long-polling.md",
    "sse": "sse.md",
    "websockets": "websockets.md",
}
BLOCK = re.compile(r"<!-- bench:(?P<name>\w+) begin[^>]*-->\n.*?<!-- bench:(?P=name) end -->", re.S)
# The websockets doc shows its column beside the references: what staying in Python costs.
COLUMNS_BESIDE = {"websockets": ("flask_socketio", "node_socketio")}


def technique_block(results, name):
    """The figures a technique doc quotes, between the markers the bench rewrites."""
    names = (name, *COLUMNS_BESIDE.get(name, ()))
    runs = [run for run in map(lambda n: run_of(results, n), names) if run]
    lines = [
        f"<!-- bench:{name} begin: written by make bench from docs/comparison.json; do not edit -->",
        f"Measured by `make bench` on {results['date']} ({parameters(results)}; the other techniques "
        "and the method are in [comparison.md](comparison.md)):",
        "",
        markdown_table({"runs": runs}),
        f"<!-- bench:{name} end -->",
    ]
    return "\n".join(lines)


def write_docs(results):
    """Write comparison.md, and the block of figures in each technique doc."""
    (DOCS / "comparison.md").write_text(comparison(results, read_before()))
    for name, file_name in TECHNIQUE_DOCS.items():
        if run_of(results, name) is None:
            continue
        path = DOCS / file_name
        text = path.read_text()
        path.write_text(BLOCK.sub(lambda _match, name=name: technique_block(results, name), text))
