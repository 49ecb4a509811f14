"""Before and after: the committed run a change started from, beside the run of now.

docs/comparison-before.json is a copy of an earlier docs/comparison.json, kept on
purpose; comparison.md then shows, figure by figure, what the change did.
"""

import json
from pathlib import Path

from bench.report import number

BEFORE_PATH = Path(__file__).resolve().parent.parent / "docs" / "comparison-before.json"

FIGURES = (
    ("delay p99 ms", lambda run: run["delay_ms"]["p99"]),
    ("server CPU ms per 1,000 deliveries", lambda run: run["server"]["cpu_ms_per_1000_deliveries"]),
    ("server peak RSS per page KiB", lambda run: run["server"]["peak_kib_per_page"]),
    ("requests or frames per idle page-minute", lambda run: idle_messages(run)),
    ("Redis commands/s idle", lambda run: redis_rate(run, "idle")),
    ("Redis commands/s writing", lambda run: redis_rate(run, "writing")),
)


def idle_messages(run):
    """Requests (HTTP pages) or frames (sockets) per idle page-minute, or None."""
    idle = run.get("per_idle_page_minute")
    return (idle["frames"] or idle["requests"]) if idle else None


def redis_rate(run, phase):
    """Redis commands per second in a phase, or None (the references have no Redis)."""
    return run["redis"][phase]["commands_per_second"] if run.get("redis") and phase in run["redis"] else None


def read_before():
    """The earlier run, or None when there is none."""
    return json.loads(BEFORE_PATH.read_text()) if BEFORE_PATH.exists() else None


def last_held(results, name):
    """The capacity a subject reached (the largest N that held), or None."""
    steps = results.get("capacity", {}).get(name, [])
    return max((step["pages"] for step in steps if step.get("held")), default=None)


def change(before, after, digits=0):
    """'188 → 151'."""
    return f"{number(before, digits)} → {number(after, digits)}"


def before_after_section(results, before):
    """The section of comparison.md that sets this run beside the earlier one."""
    if before is None:
        return []
    earlier = {run["subject"]: run for run in before["runs"]}
    lines = [
        "## Before and after",
        "",
        f"Beside the committed run of {before['date']} ({before['plan']['pages']:,} pages), which the "
        "changes of the room-of-thousands work started from (docs/comparison-before.json):",
        "",
        "| | " + " | ".join(label for label, _figure in FIGURES) + " | capacity |",
        "|---" + "|---:" * (len(FIGURES) + 1) + "|",
    ]
    for run in results["runs"]:
        then = earlier.get(run["subject"])
        if then is None:
            continue
        cells = [
            change(figure(then), figure(run), 1 if "idle page" in label else 0) for label, figure in FIGURES
        ]
        cells.append(change(last_held(before, run["subject"]), last_held(results, run["subject"])))
        lines.append(f"| {run['label']} | " + " | ".join(cells) + " |")
    return [*lines, ""]
