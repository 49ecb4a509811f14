"""`python -m bench` (make bench): every technique measured side by side, with the references.

Quick by default (about 3 minutes); `--full` (make bench FULL=1) adds larger N, the
capacity search, the reconnect storm and the run through a delaying proxy.
"""

import argparse
import json
import sys
from pathlib import Path

from bench import report
from bench.progress import Progress
from bench.run import Plan, run_once
from bench.subjects import SUBJECTS, SUBJECTS_BY_NAME

RESULTS_PATH = Path(__file__).resolve().parent.parent / "docs" / "comparison.json"


def parse_options(argv):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="larger N, capacity, reconnect storm, latency")
    parser.add_argument("--pages", type=int, help="pages per technique (default 300; 1,000 with --full)")
    parser.add_argument("--seconds", type=float, help="seconds of writing (default 10)")
    parser.add_argument("--idle", type=float, help="seconds of quiet before writing (default 26)")
    parser.add_argument("--only", help="comma-separated subjects: " + ",".join(SUBJECTS_BY_NAME))
    parser.add_argument("--json", type=Path, help="write the results here instead of docs/comparison.json")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/ as it is")
    return parser.parse_args(argv)


def plan_from(options):
    """The run parameters the options ask for."""
    plan = Plan(pages=1000) if options.full else Plan()
    changes = {"pages": options.pages, "seconds": options.seconds, "idle_seconds": options.idle}
    return Plan(**{**plan.__dict__, **{k: v for k, v in changes.items() if v is not None}})


def main(argv):
    """Run every subject, print the table, and write the results (and the docs, unless told not to)."""
    options = parse_options(argv)
    plan = plan_from(options)
    subjects = [SUBJECTS_BY_NAME[name] for name in options.only.split(",")] if options.only else SUBJECTS
    progress = Progress(plan.expected_seconds() * len(subjects))
    runs = []
    try:
        for subject in subjects:
            runs.append(run_once(subject, plan, progress))
    finally:
        progress.done()
    results = report.results_of(plan, runs)
    print(report.terminal_table(results))
    (options.json or RESULTS_PATH).write_text(json.dumps(results, indent=1) + "\n")
    if not options.no_docs:
        report.write_docs(results)
    lost = sum(run["lost"] + run["duplicated"] for run in runs)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
