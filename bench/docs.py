"""What the bench writes into docs/: comparison.md, the figures each technique doc quotes, and tuning.md's.

Everything here is made from docs/comparison.json alone, so tests/tooling/test_bench_docs.py
can check that the docs say exactly what the committed results say.
"""

import re
from pathlib import Path

from bench.comparison import comparison, parameters, run_of
from bench.paths import TUNINGS, paths_table
from bench.report import markdown_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
TECHNIQUE_DOCS = {
    "polling": "polling.md",
    "long_polling": "long-polling.md",
    "sse": "sse.md",
    "websockets": "websockets.md",
}
TUNING_DOC = "tuning.md"
BLOCK = re.compile(r"<!-- bench:(?P<name>\w+) begin[^>]*-->\n.*?<!-- bench:(?P=name) end -->", re.S)
# The websockets doc shows its columns beside the references: what staying in Python costs.
COLUMNS_BESIDE = {"websockets": ("flask_socketio", "node_socketio")}


def measured_by(results, name, what):
    """A block's first line and its sentence on where the figures come from."""
    return [
        f"<!-- bench:{name} begin: written by make bench from docs/comparison.json; do not edit -->",
        f"Measured by `make bench` on {results['date']} ({parameters(results)}; {what} "
        "and the method are in [comparison.md](comparison.md)):",
        "",
    ]


def technique_block(results, name):
    """The figures a technique doc quotes, its tuned column beside its textbook one, between the markers."""
    names = (name, f"{name}_textbook", *COLUMNS_BESIDE.get(name, ()))
    runs = [run for run in map(lambda n: run_of(results, n), names) if run]
    lines = measured_by(results, name, "the other techniques")
    return "\n".join([*lines, markdown_table({"runs": runs}), f"<!-- bench:{name} end -->"])


def tuning_block(results, name):
    """The figures one section of tuning.md quotes: textbook / tuned = ratio, between the markers."""
    keys, techniques = TUNINGS[name]
    lines = measured_by(results, name, "every figure of both paths")
    return "\n".join([*lines, paths_table(results, keys, techniques), f"<!-- bench:{name} end -->"])


def rewrite_blocks(path, block):
    """Rewrite every bench block of the doc at `path` with block(name)."""
    text = path.read_text()
    path.write_text(BLOCK.sub(lambda match: block(match["name"]), text))


def write_docs(results):
    """Write comparison.md, the block of figures in each technique doc, and tuning.md's blocks."""
    (DOCS / "comparison.md").write_text(comparison(results))
    for name, file_name in TECHNIQUE_DOCS.items():
        if run_of(results, name) is not None:
            rewrite_blocks(DOCS / file_name, lambda _name, name=name: technique_block(results, name))
    rewrite_blocks(DOCS / TUNING_DOC, lambda name: tuning_block(results, name))
